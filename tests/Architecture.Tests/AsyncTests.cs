using Mono.Cecil;

namespace Duraflow.Architecture.Tests;

/// <summary>No product code blocks a thread on a task: waiting is done with await.</summary>
public sealed class AsyncTests
{
    // What blocking on a task compiles to. An await compiles to GetResult too, but inside the async state machine,
    // after the task has completed; anywhere else it blocks.
    private static readonly string[] AlwaysBlocking = ["System.Threading.Tasks.Task::Wait", "System.Threading.Tasks.Task::WaitAll", "System.Threading.Tasks.Task::WaitAny"];

    private static bool IsStateMachine(TypeDefinition type) => type.Interfaces.Any(i => i.InterfaceType.Name == "IAsyncStateMachine");

    [Fact]
    public void No_product_code_waits_on_a_task_or_reads_its_result_outside_await()
    {
        var blocking = ProductAssemblies.AllTypes()
            .SelectMany(TypeReferences.Calls)
            .Where(c => Blocks(c.Caller, c.Callee))
            .Select(c => $"{c.Caller.FullName} calls {c.Callee.DeclaringType.FullName}::{c.Callee.Name}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(blocking.Count == 0, string.Join(Environment.NewLine, blocking));
    }

    private static bool Blocks(MethodDefinition caller, MethodReference callee)
    {
        var declaring = callee.DeclaringType.GetElementType().FullName;
        if (AlwaysBlocking.Any(b => b == $"{declaring}::{callee.Name}"))
        {
            return true;
        }

        var awaiter = declaring.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal) && declaring.Contains("Awaiter", StringComparison.Ordinal);
        var result = callee.Name == "get_Result" && declaring is "System.Threading.Tasks.Task`1" or "System.Threading.Tasks.ValueTask`1";
        return (awaiter && callee.Name == "GetResult" || result) && !IsStateMachine(caller.DeclaringType);
    }
}
