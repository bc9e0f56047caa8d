namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>Why a pipeline's schedules were not checked, or a schedule's runs not all started; its mark stays, so the next check tries again.</summary>
/// <param name="Pipeline">The pipeline's name, or the display path of a pipeline.yaml that could not be read.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record ScheduleProblem(string Pipeline, string Message);
