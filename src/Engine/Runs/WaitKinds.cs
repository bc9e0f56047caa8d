namespace Duraflow.Engine.Runs;

/// <summary>What a <see cref="BlockStatus.Waiting"/> block waits for, as <see cref="BlockWaiting.For"/> and the API say it.</summary>
internal static class WaitKinds
{
    /// <summary>The next run of a block with <c>repeat</c>. (Wait blocks name themselves: <c>wait.for</c>, <c>wait.until</c>.)</summary>
    public const string Repeat = "repeat";

    /// <summary>A named limit at its bound: the block asks again when the wait ends (<see cref="BlockRunState.Limit"/> names it).</summary>
    public const string Limit = "limit";

    /// <summary>A child run of another pipeline (<see cref="BlockRunState.Child"/> names it).</summary>
    public const string Pipeline = "pipeline";
}
