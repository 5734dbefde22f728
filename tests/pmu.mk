# tests for the pmu area (unit tests, e2e scripts, workloads, fixtures)
