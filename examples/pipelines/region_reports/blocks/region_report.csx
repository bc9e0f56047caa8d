// One region's report for the day. Runs once per item that list_regions returned.
public record RegionReport(string Region, DateOnly Day, int Orders);

var region = Input<string>("list_regions");
var day = Param<DateOnly>("day");
Log.LogInformation("building the {Region} report for {Day}", region, day);
return new RegionReport(region, day, Orders: region.Length * 10);
