# tests for the robust area (unit tests, e2e scripts, workloads, fixtures)
