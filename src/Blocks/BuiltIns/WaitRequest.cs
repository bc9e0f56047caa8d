namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// What a wait block's code returns, for the engine to wait on: a number of seconds from when it reports, a time, or
/// a signal (with how long to wait for it and what follows its timeout). Never a block output anyone reads.
/// </summary>
/// <param name="Seconds">A wait counted from the report, or a signal's timeout; null for none.</param>
/// <param name="Until">A time to wait until, or null.</param>
/// <param name="Signal">The signal to wait for, or null.</param>
/// <param name="OnTimeout">For a signal: <c>fail</c> or <c>skip</c> once its timeout passed.</param>
internal sealed record WaitRequest(double? Seconds = null, DateTimeOffset? Until = null, string? Signal = null, string? OnTimeout = null);
