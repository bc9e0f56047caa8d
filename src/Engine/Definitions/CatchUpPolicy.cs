namespace Duraflow.Engine.Definitions;

/// <summary>What a schedule does with ticks it missed while nothing was running.</summary>
internal enum CatchUpPolicy
{
    /// <summary>Missed ticks are dropped.</summary>
    None,

    /// <summary>Only the most recent missed tick runs.</summary>
    Latest,

    /// <summary>Every missed tick runs, oldest first.</summary>
    All,
}
