using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>What a start request got: the run it created, or the one its idempotency key had already created.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Pipeline">The run's pipeline (for an existing run, the pipeline that run is of).</param>
/// <param name="Created">True when this request created the run; false when it already existed.</param>
/// <param name="Status">The run's status now.</param>
internal sealed record StartedRun(string RunId, string Pipeline, bool Created, RunStatus Status);
