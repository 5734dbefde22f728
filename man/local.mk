# Hand-written troff pages; one per subcommand as each lands.
dist_man_MANS += man/cperf.1
dist_man_MANS += man/cperf-list.1
dist_man_MANS += man/cperf-convert.1
dist_man_MANS += man/cperf-data.5
dist_man_MANS += man/cperf-record.1
dist_man_MANS += man/cperf-report.1
dist_man_MANS += man/cperf-stat.1
