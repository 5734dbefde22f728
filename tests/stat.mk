# tests for the stat area (unit tests, e2e scripts, workloads, fixtures)
