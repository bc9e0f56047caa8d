// The regions to report on; each becomes one run of region_report.
return new[] { "north", "south", "east", "west" };
