using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks;

/// <summary>
/// Reads an attempt's inputs, settings, parameters and checkpoints as the .NET types block code asks for. Script blocks
/// (<c>Input&lt;T&gt;("x")</c>) and compiled blocks (a typed parameter named <c>x</c>) share it, so a value reads the
/// same way from both.
/// </summary>
/// <remarks>
/// A table reads as <see cref="Table"/>, as <c>IEnumerable&lt;TRow&gt;</c> (streamed row by row), or as an array or
/// list of rows (loaded whole); any other type, and every JSON value, is deserialized with
/// <see cref="BlockJson.Options"/>. A name that does not exist or a value that does not convert fails the block
/// without retries: the definition or the data is wrong, and running the same code again gives the same result.
/// </remarks>
internal static class BlockInputReader
{
    /// <summary>The output of upstream block <paramref name="name"/> as <paramref name="type"/>; JSON null gives null.</summary>
    /// <exception cref="NonRetryableBlockException">The block has no such input, or its value does not convert.</exception>
    public static object? Input(BlockContext context, string name, Type type)
    {
        var value = InputValue(context, name);
        return value.Table is { } table && TableInputs.TryRead(table.AsInput(context.Block, name), type, context.CancellationToken, out var rows)
            ? rows
            : Convert(context, value.AsJson(context.CancellationToken), type, $"input '{name}'");
    }

    /// <summary>The output of upstream block <paramref name="name"/> as it was stored.</summary>
    /// <exception cref="NonRetryableBlockException">The block has no such input.</exception>
    public static BlockValue InputValue(BlockContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return context.Inputs.TryGetValue(name, out var value)
            ? value
            : throw new NonRetryableBlockException(
                $"block {context.Block} has no input '{name}'; {Listing(context.Inputs.Keys, "inputs", name)}");
    }

    /// <summary>The run's parameter <paramref name="name"/> as <paramref name="type"/>; JSON null gives null.</summary>
    /// <exception cref="NonRetryableBlockException">The pipeline has no such parameter, or its value does not convert.</exception>
    public static object? Parameter(BlockContext context, string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(name);
        return context.Parameters.TryGetValue(name, out var value)
            ? Convert(context, value, type, $"parameter '{name}'")
            : throw new NonRetryableBlockException(
                $"pipeline {context.Pipeline} has no parameter '{name}'; {Listing(context.Parameters.Keys, "parameters", name)}");
    }

    /// <summary>The block's <c>with:</c> setting <paramref name="name"/> as <paramref name="type"/>; JSON null gives null.</summary>
    /// <exception cref="NonRetryableBlockException">The block has no such setting, or its value does not convert.</exception>
    public static object? Setting(BlockContext context, string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(name);
        return context.Settings.TryGetValue(name, out var value)
            ? Convert(context, value, type, $"setting '{name}'")
            : throw new NonRetryableBlockException(
                $"block {context.Block} has no setting '{name}' under with:; {Listing(context.Settings.Keys, "settings", name)}");
    }

    /// <summary>Deserializes <paramref name="value"/> as <paramref name="type"/>; <paramref name="what"/> names it in errors.</summary>
    /// <exception cref="NonRetryableBlockException">The value does not convert.</exception>
    public static object? Convert(BlockContext context, JsonElement value, Type type, string what)
    {
        try
        {
            return value.Deserialize(type, BlockJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // The same value and type fail the same way on every attempt, so retrying cannot help.
            throw e is JsonException error && ConversionProblem.Describe(error, value, type) is { } problem
                ? new NonRetryableBlockException($"block {context.Block}: {(problem.Row is { } row ? $"row {row} of " : "")}{what}: {problem.Text}")
                : new NonRetryableBlockException($"block {context.Block}: {what} cannot be read as {TypeDisplay.Name(type)}: {e.Message}", e);
        }
    }

    /// <summary>"its inputs are: a, b (did you mean 'a'?)", or "it has no inputs", for error messages.</summary>
    public static string Listing(IEnumerable<string> names, string kind, string wanted)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return $"it has no {kind}";
        }

        var hint = EditDistance.ClosestMatch(wanted, sorted) is { } match ? $" (did you mean '{match}'?)" : string.Empty;
        return $"its {kind} are: {string.Join(", ", sorted)}{hint}";
    }
}
