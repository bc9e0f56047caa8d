// Collects every region's report (fan-in) into one summary.
public record RegionReport(string Region, DateOnly Day, int Orders);

var reports = Input<RegionReport[]>("region_report");
return new { Regions = reports.Length, Orders = reports.Sum(r => r.Orders) };
