using System.Text.Json.Serialization;

namespace Duraflow.Engine.Definitions;

/// <summary>
/// The type of a run parameter, as written in <c>parameters.NAME.type</c>. Stored plans name it the same way
/// (<see cref="ParameterValues.TypeNames"/>), so the JSON of a plan reads as its pipeline.yaml does.
/// </summary>
internal enum ParameterType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A 64-bit integer.</summary>
    Int,

    /// <summary>A floating-point number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>An ISO date, <c>2026-11-24</c>.</summary>
    Date,

    /// <summary>An ISO 8601 timestamp with offset, <c>2026-11-24T06:00:00Z</c>.</summary>
    [JsonStringEnumMemberName("datetime")]
    DateTime,

    /// <summary>Any JSON value.</summary>
    Json,
}
