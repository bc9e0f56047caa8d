namespace Duraflow.Engine.Definitions;

/// <summary>What a repeating block becomes when its last allowed run's output still fails <c>until</c> (<c>on_max</c>).</summary>
internal enum RepeatEnd
{
    /// <summary>Failed, without retries: what the block waited for never happened.</summary>
    Fail,

    /// <summary>Skipped, with the blocks that depend on it unless they have a <c>when</c> of their own.</summary>
    Skip,
}
