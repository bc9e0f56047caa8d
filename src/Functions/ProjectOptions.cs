namespace Duraflow.Functions;

/// <summary>Which Duraflow project the app serves (configuration section <c>Duraflow</c>, e.g. <c>Duraflow__Project</c>).</summary>
internal sealed class ProjectOptions
{
    public const string Section = "Duraflow";

    /// <summary>The project folder; defaults to the app's content root.</summary>
    public string? Project { get; set; }
}
