# tests for the convert area (unit tests, e2e scripts, workloads, fixtures)
