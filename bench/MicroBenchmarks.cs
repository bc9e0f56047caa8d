using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Bench;

/// <summary>
/// <c>bench micro</c>: BenchmarkDotNet on engine parts that every block step or run start pays, at the sizes where
/// they hurt. Not part of <c>bench all</c>. Runs in process (no generated project to restore and build), short jobs.
/// </summary>
internal static class MicroCommand
{
    public static int Run(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            // Reports go to the temp folder, not into whatever folder (often the repository) it was started from.
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "duraflow-bench-micro"));
        BenchmarkSwitcher.FromTypes([typeof(DecideOnWideFanOut), typeof(PlanHashing)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return 0;
    }
}

/// <summary>
/// One block's completion (started + succeeded, decided together as a worker reports them) on the state of a
/// 10,000-wide fan-out whose branches are all scheduled: the decision one fan-out step costs before any storage.
/// </summary>
[MemoryDiagnoser]
public class DecideOnWideFanOut
{
    private RunPlan _plan = null!;
    private RunState _state = null!;
    private RunEvent[] _completion = null!;

    [Params(1_000, 10_000)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var at = DateTimeOffset.UnixEpoch;
        _plan = RunShapes.FanOut(Width);
        var state = Accept(RunDecider.Decide(_plan, new RunState(), new RunRequested(at, "r", _plan.Pipeline, "hash", EngineUnderTest.NoParameters, "bench")));
        if (state.Status != RunStatus.Running)
        {
            state = Accept(RunDecider.Decide(_plan, state, new RunStarted(at)));
        }

        _state = Accept(RunDecider.DecideAll(_plan, state, [new BlockStarted(at, "start", 1, "w"), new BlockSucceeded(at, "start", 1, "null")]));
        _completion = [new BlockStarted(at, "f0", 1, "w"), new BlockSucceeded(at, "f0", 1, "null")];
        Accept(RunDecider.DecideAll(_plan, _state, _completion));
    }

    [Benchmark]
    public object OneBranchCompletes() => RunDecider.DecideAll(_plan, _state, _completion);

    private static RunState Accept(Decision decision) =>
        decision.Accepted ? decision.State : throw new InvalidOperationException("setup input rejected: " + decision.Rejection);
}

/// <summary>What every run start pays to identify its plan: serializing it and hashing the JSON.</summary>
[MemoryDiagnoser]
public class PlanHashing
{
    private RunPlan _plan = null!;

    [Params(100, 10_000)]
    public int Blocks { get; set; }

    [GlobalSetup]
    public void Setup() => _plan = RunShapes.Dag(Math.Min(Blocks, 100), Math.Max(1, Blocks / 100));

    [Benchmark]
    public string HashPlan() => RunPlanner.Hash(_plan.ToJson());
}
