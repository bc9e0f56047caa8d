using Mono.Cecil;

namespace Duraflow.Architecture.Tests;

/// <summary>
/// One way to start a run: every host goes through RunStarter, which alone hands runs to a runtime; the runtimes
/// (duraflow and durable) alone ask the committer to create one, and the committer alone commits to the store.
/// </summary>
public sealed class RunCreationTests
{
    private static IReadOnlyList<string> CallersOf(Func<MethodReference, bool> callee) =>
        [.. ProductAssemblies.AllTypes()
            .SelectMany(TypeReferences.Calls)
            .Where(c => callee(c.Callee))
            .Select(c => Outermost(c.Caller.DeclaringType).FullName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    [Fact]
    public void Only_the_run_starter_hands_a_new_run_to_a_runtime()
    {
        var callers = CallersOf(m => m.Name == "StartAsync" && m.DeclaringType.FullName == "Duraflow.Engine.Runtime.IRunRuntime");

        Assert.Equal(["Duraflow.Engine.Runtime.RunStarter"], callers);
    }

    [Fact]
    public void Only_the_runtimes_have_the_committer_create_a_run()
    {
        var callers = CallersOf(m => m.Name == "CreateRunAsync" && m.DeclaringType.FullName == "Duraflow.Engine.Runtime.RunCommitter");

        Assert.Equal(["Duraflow.Durable.DurableRuntime", "Duraflow.Engine.Runtime.DuraflowRuntime"], callers);
    }

    [Fact]
    public void Only_the_committer_commits_to_a_run_store()
    {
        // Through the interface, or straight to a store (whose own explicit interface members pass calls on).
        var callers = CallersOf(m => m.Name == "CommitAsync" && m.Parameters.FirstOrDefault()?.ParameterType.Name == "RunCommit")
            .Where(c => !c.StartsWith("Duraflow.Engine.Storage.", StringComparison.Ordinal));

        Assert.Equal(["Duraflow.Engine.Runtime.RunCommitter"], callers);
    }

    [Fact]
    public void Hosts_and_triggers_start_runs_through_the_run_starter()
    {
        var callers = CallersOf(m => m.Name == "StartAsync" && m.DeclaringType.FullName == "Duraflow.Engine.Runtime.RunStarter");

        Assert.Equal(
            ["Duraflow.Api.Http.StartRunEndpoint", "Duraflow.Cli.Commands.RunCommand", "Duraflow.Engine.Runtime.ChildRunStarter", "Duraflow.Engine.Triggers.BlobEvents.BlobEventDispatcher",
             "Duraflow.Engine.Triggers.Schedules.BackfillDriver", "Duraflow.Engine.Triggers.Schedules.ScheduleTicker"],
            callers);
    }
}
