using Duraflow.Blocks.Text;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Connections;

/// <summary>
/// A project's io_config.yaml: named connections grouped by profile. Top-level keys are profiles (<c>default</c>,
/// <c>dev</c>, <c>prod</c>, ...); each maps connection names to <c>{ type: ..., settings }</c>. A profile other than
/// <c>default</c> has every connection of <c>default</c> too, and replaces whole connections by name.
/// </summary>
/// <remarks>Immutable once read; safe to share between threads.</remarks>
internal sealed class IoConfig
{
    /// <summary>The file name, in the project folder.</summary>
    public const string FileName = DuraflowProject.IoConfigFileName;

    /// <summary>The profile used when none is selected, and the one every other profile inherits from.</summary>
    public const string DefaultProfile = "default";

    /// <summary>The environment variable that selects a profile when <c>--profile</c> is not given.</summary>
    public const string ProfileVariable = "DURAFLOW_PROFILE";

    private readonly Dictionary<string, IoConfigProfile> _profiles;

    internal IoConfig(string displayPath, bool exists, bool readable, Dictionary<string, IoConfigProfile> profiles, IReadOnlyList<Diagnostic> diagnostics)
    {
        DisplayPath = displayPath;
        Exists = exists;
        IsReadable = readable;
        _profiles = profiles;
        Diagnostics = diagnostics;
        Profiles = [DefaultProfile, .. profiles.Keys.Where(p => p != DefaultProfile)];
    }

    /// <summary>How the file is named in diagnostics.</summary>
    public string DisplayPath { get; }

    /// <summary>False when the project has no io_config.yaml: it then has no connections, which is not an error.</summary>
    public bool Exists { get; }

    /// <summary>Every profile: <c>default</c> (always, even when not written), then the others in file order.</summary>
    public IReadOnlyList<string> Profiles { get; }

    /// <summary>Every problem found in the file.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>True when the file has at least one error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>False when the file is not YAML or not a map: then its profiles and connection names are unknown.</summary>
    internal bool IsReadable { get; }

    /// <summary>
    /// The profile to use: <paramref name="requested"/> (the <c>--profile</c> option) when given, else the
    /// <c>DURAFLOW_PROFILE</c> environment variable when set, else <c>default</c>.
    /// </summary>
    public static string SelectProfile(string? requested) =>
        requested ?? (Environment.GetEnvironmentVariable(ProfileVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultProfile);

    /// <summary>Reads the io_config.yaml of the project at <paramref name="projectRoot"/>; a missing file gives no connections.</summary>
    /// <param name="projectRoot">The project folder.</param>
    /// <param name="displayRoot">Files are named relative to this folder in diagnostics; default: the current directory.</param>
    public static IoConfig Load(string projectRoot, string? displayRoot = null)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        var path = Path.Combine(Path.GetFullPath(projectRoot), FileName);
        var displayPath = DisplayPaths.For(path, displayRoot);
        if (!File.Exists(path))
        {
            return new IoConfig(displayPath, exists: false, readable: true, [], []);
        }

        return DefinitionFile.TryRead(path, displayPath, out var problem) is { } text
            ? Parse(text, displayPath)
            : new IoConfig(displayPath, exists: true, readable: false, [], [problem!]);
    }

    /// <summary>Reads io_config.yaml text; <paramref name="displayPath"/> names it in diagnostics.</summary>
    public static IoConfig Parse(string yaml, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(displayPath);
        return IoConfigReader.Read(yaml, displayPath);
    }

    /// <summary>True when <paramref name="profile"/> exists: <c>default</c> always does.</summary>
    public bool HasProfile(string profile) => profile == DefaultProfile || _profiles.ContainsKey(profile);

    /// <summary>
    /// The connections of <paramref name="profile"/> by name: those of <c>default</c>, with the profile's own
    /// connections in place of any of the same name. Connections with errors are left out.
    /// </summary>
    /// <exception cref="ArgumentException">The profile does not exist; see <see cref="CheckProfile"/>.</exception>
    public IReadOnlyDictionary<string, ConnectionDefinition> ConnectionsOf(string profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!HasProfile(profile))
        {
            throw new ArgumentException(UnknownProfileMessage(profile), nameof(profile));
        }

        var connections = new Dictionary<string, ConnectionDefinition>(StringComparer.Ordinal);
        foreach (var name in new[] { DefaultProfile, profile }.Distinct(StringComparer.Ordinal))
        {
            if (_profiles.TryGetValue(name, out var declared))
            {
                foreach (var (connectionName, connection) in declared.Connections)
                {
                    connections[connectionName] = connection;
                }
            }
        }

        return connections;
    }

    /// <summary>A located error when <paramref name="profile"/> does not exist, naming the profiles that do; else null.</summary>
    public Diagnostic? CheckProfile(string profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return HasProfile(profile) || !IsReadable
            ? null
            : new Diagnostic(DiagnosticCodes.UnknownProfile, DiagnosticSeverity.Error, new SourceLocation(DisplayPath, 0, 0), UnknownProfileMessage(profile));
    }

    /// <summary>
    /// The name of every connection written for <paramref name="profile"/> or inherited from <c>default</c>, broken ones
    /// included, so that a reference to a broken connection adds no second error; null when the names are unknown.
    /// </summary>
    internal IReadOnlySet<string>? NamesIn(string profile)
    {
        if (!IsReadable || !HasProfile(profile))
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { DefaultProfile, profile })
        {
            if (_profiles.TryGetValue(name, out var declared))
            {
                names.UnionWith(declared.NamesWritten);
            }
        }

        return names;
    }

    private string UnknownProfileMessage(string profile)
    {
        if (!Exists)
        {
            return $"profile '{profile}' (from --profile or {ProfileVariable}) does not exist: the project has no {FileName}; add one with a '{profile}:' section, or use the '{DefaultProfile}' profile";
        }

        var hint = EditDistance.DidYouMean(profile, Profiles);
        return $"profile '{profile}' (from --profile or {ProfileVariable}) is not in {FileName}; {hint}profiles are {string.Join(", ", Profiles)}";
    }
}
