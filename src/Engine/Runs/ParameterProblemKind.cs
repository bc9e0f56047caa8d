namespace Duraflow.Engine.Runs;

/// <summary>What is wrong with a parameter given for a run.</summary>
internal enum ParameterProblemKind
{
    /// <summary>The pipeline declares no parameter of that name.</summary>
    Unknown,

    /// <summary>The value does not convert to the declared type.</summary>
    WrongType,

    /// <summary>The value is of the right type but not among the declared <c>allowed</c> values.</summary>
    NotAllowed,

    /// <summary>A required parameter without a default was not given.</summary>
    Missing,
}
