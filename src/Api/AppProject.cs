using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Microsoft.Extensions.Options;

namespace Duraflow.Api;

/// <summary>
/// The project the app serves: the folder <see cref="ProjectOptions.Project"/> names, with duraflow.yaml's settings
/// overridden by the app settings <c>Duraflow__Store</c>, <c>Duraflow__StorePrefix</c>, <c>Duraflow__Runtime</c> and
/// <c>Duraflow__LocalDirectory</c>. The one place that turns those settings into a <see cref="DuraflowProject"/>.
/// </summary>
/// <remarks>
/// A bad app setting does not stop the app: the Functions host wants the handler listening within seconds, and
/// <c>/api/ready</c> is where a broken setting should show. So the problems are kept, <see cref="Open"/> throws them as a
/// <see cref="StoreSettingsException"/> (which opening the engine reports), and <see cref="Unchecked"/> serves what needs
/// only the local folder.
/// </remarks>
internal sealed class AppProject
{
    private static readonly string[] StoreNames = ["sqlite", "azure"];

    private readonly List<string> _problems = [];
    private readonly StoreKind? _store;
    private readonly string? _prefix;
    private readonly RuntimeKind? _runtime;
    private readonly RuntimeKind _hostDefaultRuntime;

    public AppProject(IOptions<ProjectOptions> options, IHostEnvironment environment, ApiHosting hosting)
    {
        var settings = options.Value;

        // The Functions app exists to run on Durable Functions; a local server has no task hub unless asked for one.
        _hostDefaultRuntime = hosting.UnderFunctionsHost ? RuntimeKind.Durable : RuntimeKind.Duraflow;

        // Against the content root, not the current directory: the Functions host starts the handler in a folder of
        // its choosing, and the package's project folder sits next to the executable.
        Root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.Project is { Length: > 0 } project ? project : "."));
        LocalDirectory = settings.LocalDirectory is { Length: > 0 } local ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, local)) : null;

        if (settings.Store is { Length: > 0 } store)
        {
            var index = Array.FindIndex(StoreNames, n => string.Equals(n, store, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                _problems.Add($"{Setting(nameof(ProjectOptions.Store))} is '{store}'; it must be 'azure' or 'sqlite'");
            }
            else
            {
                _store = (StoreKind)index;
            }
        }

        if (settings.Runtime is { Length: > 0 } runtime)
        {
            if (RuntimeNames.Parse(runtime) is { } kind)
            {
                _runtime = kind;
            }
            else
            {
                _problems.Add($"{Setting(nameof(ProjectOptions.Runtime))} is '{runtime}'; it must be one of {string.Join(", ", RuntimeNames.All)}");
            }
        }

        if (settings.StorePrefix is { Length: > 0 } prefix)
        {
            try
            {
                // duraflow.yaml's rule, which is the store's own, so a prefix accepted here never fails when the store opens.
                new AzureStoreOptions { Prefix = prefix }.Validate(Setting(nameof(ProjectOptions.StorePrefix)));
                _prefix = prefix;
            }
            catch (InvalidOperationException e)
            {
                _problems.Add(e.Message);
            }
        }
    }

    /// <summary>The full path of the project folder.</summary>
    public string Root { get; }

    /// <summary>The full path of <c>Duraflow__LocalDirectory</c>, or null when unset.</summary>
    public string? LocalDirectory { get; }

    /// <summary>The problems of the app settings, each naming its setting and the fix; empty when all are good.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Reads duraflow.yaml now and applies the app settings over it.</summary>
    /// <exception cref="StoreSettingsException">An app setting is invalid; the message names it and the allowed values.</exception>
    public DuraflowProject Open()
    {
        if (_problems.Count > 0)
        {
            throw new StoreSettingsException(
                $"the app settings that override duraflow.yaml have errors, so no store was opened; fix them first:{Environment.NewLine}"
                + string.Join(Environment.NewLine, _problems));
        }

        return Unchecked();
    }

    /// <summary>
    /// Like <see cref="Open"/>, but leaving out the app settings that are invalid rather than throwing: for what
    /// depends on the local folder only, such as the script cache.
    /// </summary>
    public DuraflowProject Unchecked()
    {
        var project = DuraflowProject.Open(Root);
        if (_store is { } store)
        {
            project = project.WithStore(store);
        }

        if (_prefix is not null)
        {
            project = project.WithStorePrefix(_prefix);
        }

        // The app setting wins over duraflow.yaml, which wins over the host's default.
        project = project.WithRuntime(_runtime ?? project.Settings.Runtime ?? _hostDefaultRuntime);
        return LocalDirectory is null ? project : project.WithLocalDirectory(LocalDirectory);
    }

    // Both spellings: app settings and environment variables use '__', appsettings.json and arguments use ':'.
    private static string Setting(string property) => $"{ProjectOptions.Section}__{property} (configuration {ProjectOptions.Section}:{property})";
}
