using Duraflow.Blocks.Data;
using Duraflow.Blocks.Execution;
using Microsoft.CodeAnalysis.Scripting;

namespace Duraflow.Blocks.Scripts;

/// <summary>A compiled C# script block, ready to run any number of times, also concurrently.</summary>
public sealed class CompiledScript
{
    private readonly ScriptRunner<object> _runner;

    internal CompiledScript(string displayPath, ScriptRunner<object> runner)
    {
        DisplayPath = displayPath;
        _runner = runner;
    }

    /// <summary>The path the script was first compiled under; identical code elsewhere shares this compilation.</summary>
    public string DisplayPath { get; }

    /// <summary>
    /// Runs the script for one attempt of a block and returns what it returned: a table for a sequence of records,
    /// otherwise JSON (JSON null when it returned nothing or null).
    /// </summary>
    /// <remarks>
    /// The script's own exceptions propagate unchanged, so the engine decides about retries from what was thrown.
    /// Cancellation is cooperative: a script stops at its next await or <c>CancellationToken</c> check.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><see cref="BlockContext.CancellationToken"/> was signalled.</exception>
    /// <exception cref="NonRetryableBlockException">An input, parameter or checkpoint is missing or does not
    /// convert, or the returned value cannot be written as JSON.</exception>
    public async Task<BlockValue> RunAsync(BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        var result = await _runner(new ScriptGlobals(context), context.CancellationToken).ConfigureAwait(false);
        var value = BlockValue.FromResult(result, context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken);
        if (value.Table is { } table)
        {
            context.SetMetric("rows_returned", table.CountRows());
        }

        return value;
    }
}
