using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>
/// One problem with the parameters given for a run, with what each caller needs to show it its own way: the
/// command line as <c>--param NAME=VALUE: ...</c>, the HTTP API as an error on field <c>parameters.NAME</c>.
/// </summary>
/// <param name="Name">The parameter's name, as given (for <see cref="ParameterProblemKind.Unknown"/>) or as declared.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">Why, worded without the parameter's name: <c>expected a date such as 2026-11-24</c>.</param>
/// <param name="Type">The declared type, when the parameter is declared.</param>
/// <param name="Given">The value as given, for messages; null when none was given.</param>
internal sealed record ParameterProblem(string Name, ParameterProblemKind Kind, string Detail, ParameterType? Type, string? Given)
{
    /// <summary>The problem as the command line words it, naming the <c>--param</c> to fix.</summary>
    public string ForCommandLine() => Kind switch
    {
        ParameterProblemKind.Unknown => $"--param {Name}: {Detail}",
        ParameterProblemKind.Missing => $"parameter '{Name}' is required; pass it as --param {Name}=VALUE",
        _ => $"--param {Name}={Given}: {Detail}",
    };
}
