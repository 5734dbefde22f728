# tests for the datafile area (unit tests, e2e scripts, workloads, fixtures)
