namespace Duraflow.Engine.Definitions;

/// <summary>How the delay grows between retries.</summary>
internal enum BackoffKind
{
    /// <summary>Every retry waits <c>delay</c>.</summary>
    Fixed,

    /// <summary>Retry n waits <c>delay × n</c>.</summary>
    Linear,

    /// <summary>Retry n waits <c>delay × factor^(n-1)</c>.</summary>
    Exponential,
}
