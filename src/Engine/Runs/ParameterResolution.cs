namespace Duraflow.Engine.Runs;

/// <summary>The outcome of <see cref="RunParameters.Resolve"/>: the run's parameters, or every problem found.</summary>
/// <param name="Parameters">The resolved parameters; null when there are problems.</param>
/// <param name="Problems">Every problem, in the order the parameters were given, then the missing ones.</param>
internal sealed record ParameterResolution(ResolvedParameters? Parameters, IReadOnlyList<ParameterProblem> Problems);
