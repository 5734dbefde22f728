# tests for the record area (unit tests, e2e scripts, workloads, fixtures)
