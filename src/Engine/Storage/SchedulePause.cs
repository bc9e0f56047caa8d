namespace Duraflow.Engine.Storage;

/// <summary>
/// A pipeline whose schedules are paused: no scheduled run starts and its schedules' marks stay where they were, so
/// that on resume the ticks missed meanwhile are handled by each schedule's <c>catch_up</c> policy, as after an outage.
/// </summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Since">When it was paused, by the store's clock.</param>
/// <param name="By">Who paused it: the caller's identity (<c>cli:user</c>, <c>api-key</c>, an Entra name).</param>
/// <param name="Reason">Why, as given; null when none was.</param>
internal sealed record SchedulePause(string Pipeline, DateTimeOffset Since, string By, string? Reason);
