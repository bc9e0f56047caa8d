// Nothing to load: say so in the run log.
var changes = Input("count_changes");
Log.LogInformation("customers unchanged: {Changes}", changes);
return changes;
