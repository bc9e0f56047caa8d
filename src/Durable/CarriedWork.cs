using Duraflow.Engine.Runs;

namespace Duraflow.Durable;

/// <summary>What a run's orchestration had still to do when it continued as new: the next execution does it first.</summary>
/// <param name="Dispatches">Block attempts decided and recorded but not yet started.</param>
/// <param name="Timers">Retry delays and timeouts armed but not yet fired (armed again; one already due fires at once).</param>
internal sealed record CarriedWork(IReadOnlyList<DispatchBlock> Dispatches, IReadOnlyList<StartTimer> Timers);
