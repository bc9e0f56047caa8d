using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Api.Http;

/// <summary>Schedules and pauses as the API returns them and <c>duraflow schedules … --json</c> prints them.</summary>
internal static class ScheduleJson
{
    public static object List(IReadOnlyList<PipelineSchedules> pipelines) => new { Items = pipelines.Select(Pipeline) };

    public static object Pipeline(PipelineSchedules pipeline) => new
    {
        pipeline.Pipeline,
        Paused = pipeline.Paused is { } pause ? Pause(pause) : null,
        Schedules = pipeline.Schedules.Select(s => new
        {
            Schedule = s.Trigger.Text,
            s.Trigger.Cron,
            Every = s.Trigger.Interval is { } interval ? Blocks.Text.Duration.Format(interval.Every) : null,
            s.Trigger.Interval?.Anchor,
            Description = ScheduleWords.Describe(s.Trigger),
            Timezone = s.TimeZone,
            CatchUp = s.CatchUp.ToString().ToLowerInvariant(),
            s.HandledThrough,
            s.Next,
        }),
    };

    /// <summary>The answer to a pause or resume: whether the pipeline's schedules are paused now, and since when by whom.</summary>
    public static object State(string pipeline, SchedulePause? pause, bool changed) => new
    {
        Pipeline = pipeline,
        Paused = pause is not null,
        Changed = changed,
        Since = pause?.Since,
        By = pause?.By,
        Reason = pause?.Reason,
    };

    private static object Pause(SchedulePause pause) => new { pause.Since, pause.By, pause.Reason };
}
