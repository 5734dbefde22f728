# tests for the proto area (unit tests, e2e scripts, workloads, fixtures)
