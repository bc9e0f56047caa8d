using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>What templates read under <c>run.*</c>: the same for a block's settings and for an alert's text.</summary>
internal static class RunTemplateValues
{
    public static Dictionary<string, JsonElement> Of(RunState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(StringComparer.Ordinal)
        {
            ["id"] = JsonSerializer.SerializeToElement(state.RunId),
            ["pipeline"] = JsonSerializer.SerializeToElement(state.Pipeline),
            ["trigger"] = JsonSerializer.SerializeToElement(state.Trigger),
            // A scheduled run's time is the tick it was started for, not when the tick was noticed.
            ["scheduled_time"] = state.TriggerValues.TryGetValue("scheduled_time", out var scheduled) ? scheduled : JsonSerializer.SerializeToElement(state.RequestedAt),
            ["started_at"] = JsonSerializer.SerializeToElement(state.StartedAt ?? state.RequestedAt),
        };
    }
}
