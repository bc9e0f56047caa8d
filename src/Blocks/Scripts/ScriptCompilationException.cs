namespace Duraflow.Blocks.Scripts;

/// <summary>
/// A C# script block does not compile. The message lists every error, one per line, as
/// <c>file:line:col: error CSxxxx: message</c>; <see cref="Errors"/> holds them for tools.
/// </summary>
internal sealed class ScriptCompilationException : Exception
{
    /// <summary>Creates the exception for the compile errors of one script; <paramref name="errors"/> must not be empty.</summary>
    public ScriptCompilationException(IReadOnlyList<ScriptError> errors)
        : base(Describe(errors))
    {
        Errors = [.. errors];
    }

    /// <summary>Creates the exception with a message and no error list.</summary>
    public ScriptCompilationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message, the failure that caused it and no error list.</summary>
    public ScriptCompilationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message and no error list.</summary>
    public ScriptCompilationException()
        : base("the script does not compile")
    {
    }

    /// <summary>The compile errors, in the compiler's order; empty when the exception was created from a message.</summary>
    public IReadOnlyList<ScriptError> Errors { get; } = [];

    private static string Describe(IReadOnlyList<ScriptError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        var noun = errors.Count == 1 ? "error" : "errors";
        return $"{errors[0].FilePath} does not compile ({errors.Count} {noun}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors);
    }
}
