using System.Diagnostics;
using Duraflow.Engine.Validation;

namespace Duraflow.Bench;

/// <summary>
/// Validate time of the 10,000-block DAG: <c>PipelineValidator.Validate</c> on the generated WIDTH x DEPTH pipeline
/// (<see cref="LargePipeline"/>), called once in a fresh process, so JIT is included as a user's first validate pays it.
/// <c>bench validate</c> breaks the same work down further (warm, YAML floor, CLI process).
/// </summary>
internal static class DagValidation
{
    public static ScenarioOutcome Run(string size)
    {
        var (width, depth) = EngineScenario.ParseSize("dag", size);
        var folder = Directory.CreateTempSubdirectory("duraflow-bench-dag-");
        try
        {
            var file = LargePipeline.Write(folder.FullName, width, depth);
            var memory = PeakMemory.Reset();
            var clock = Stopwatch.StartNew();
            var result = PipelineValidator.Validate(file);
            clock.Stop();
            if (!result.IsValid || result.Graph!.TopologicalOrder.Count != width * depth)
            {
                throw new InvalidOperationException("the generated pipeline did not validate: " + string.Join("; ", result.Diagnostics.Take(3)));
            }

            return new ScenarioOutcome
            {
                Scenario = "dag validate", Store = "—", Size = size,
                Value = clock.Elapsed.TotalSeconds, Unit = "s", ElapsedSeconds = clock.Elapsed.TotalSeconds,
                PeakBytes = memory.Bytes(), PeakSource = memory.Source,
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
