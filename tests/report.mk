# tests for the report area (unit tests, e2e scripts, workloads, fixtures)
