# tests for the symbolize area (unit tests, e2e scripts, workloads, fixtures)
