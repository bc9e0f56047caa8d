namespace Duraflow.Blocks.Scripts;

/// <summary>A compiled C# script block, ready to run any number of times, also concurrently.</summary>
internal sealed class CompiledScript
{
    private readonly Func<ScriptGlobals, CancellationToken, Task<object>> _run;

    internal CompiledScript(string displayPath, Func<ScriptGlobals, CancellationToken, Task<object>> run)
    {
        DisplayPath = displayPath;
        _run = run;
    }

    /// <summary>
    /// The path this compiler first produced the script for; identical code elsewhere shares it. Stack traces name
    /// the path the code was compiled under, which for a script loaded from the cache folder may be an earlier one.
    /// </summary>
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
        var result = await _run(new ScriptGlobals(context), context.CancellationToken).ConfigureAwait(false);
        var value = BlockValue.FromResult(result, context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken);
        if (value.Table is { } table)
        {
            context.SetMetric("rows_returned", table.CountRows());
        }

        return value;
    }
}
