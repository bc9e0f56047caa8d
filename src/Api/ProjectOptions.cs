namespace Duraflow.Api;

/// <summary>
/// Which Duraflow project the app serves and how app settings override its duraflow.yaml (configuration section
/// <c>Duraflow</c>, e.g. <c>Duraflow__Project</c>). Relative paths are relative to the app's content root.
/// <see cref="AppProject"/> applies them.
/// </summary>
internal sealed class ProjectOptions
{
    public const string Section = "Duraflow";

    /// <summary>The project folder (<c>Duraflow__Project</c>); defaults to the app's content root.</summary>
    public string? Project { get; set; }

    /// <summary>The run store, <c>azure</c> or <c>sqlite</c> (<c>Duraflow__Store</c>), over duraflow.yaml's <c>store.type</c>.</summary>
    public string? Store { get; set; }

    /// <summary>The azure store's name prefix (<c>Duraflow__StorePrefix</c>), over duraflow.yaml's <c>store.prefix</c>.</summary>
    public string? StorePrefix { get; set; }

    /// <summary>
    /// The runtime of new runs, <c>duraflow</c> or <c>durable</c> (<c>Duraflow__Runtime</c>), over duraflow.yaml's
    /// <c>runtime:</c>. With neither, the Functions app starts runs on <c>durable</c> and <c>duraflow serve</c> on <c>duraflow</c>.
    /// </summary>
    public string? Runtime { get; set; }

    /// <summary>
    /// The folder for the script cache and scratch files (<c>Duraflow__LocalDirectory</c>), for hosts where the project
    /// folder is read-only, such as a Functions app run from its package (there: <c>/tmp/duraflow</c>).
    /// </summary>
    public string? LocalDirectory { get; set; }
}
