namespace Duraflow.Engine.Definitions;

/// <summary>
/// What a waiting block becomes when it gives up: a <c>repeat</c> whose last allowed run still fails <c>until</c>
/// (<c>on_max</c>), a <c>wait.signal</c> or <c>wait.approval</c> whose <c>timeout</c> passed (<c>on_timeout</c>).
/// </summary>
internal enum GiveUp
{
    /// <summary>Failed, without retries: what the block waited for never happened.</summary>
    Fail,

    /// <summary>Skipped, with the blocks that depend on it unless they have a <c>when</c> of their own.</summary>
    Skip,
}
