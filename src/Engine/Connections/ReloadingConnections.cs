using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Connections;

/// <summary>
/// A project's connections and secrets as its files are now: io_config.yaml, secrets.local.yaml and the
/// <c>secrets:</c> settings of duraflow.yaml are read again when one of them changes
/// (<see cref="ProjectFiles.SettingsStamp"/>, part of the stamp the validation cache watches), so a server or worker
/// that runs for days uses an edit from its next block attempt on, without a restart, as its validation does.
/// </summary>
/// <remarks>
/// <para>
/// Each block attempt takes <see cref="Current"/> once, when it starts, and uses that version to its end. Runs pin
/// their definition and the texts of their scripts and SQL files, but not their connections: those name places and
/// credentials, which an operator must be able to change under a long or retried run. So a run that spans an edit
/// uses the new connections from its next attempt on.
/// </para>
/// <para>
/// A version whose files have errors does not stop the host: it is an <see cref="UnreadableConnections"/>, which fails
/// the attempts that look something up. One <see cref="Redactor"/> spans every version, so a secret read before an
/// edit stays masked after it. Each version has its own secret cache: an edit reads the secrets again.
/// </para>
/// </remarks>
internal sealed class ReloadingConnections
{
    private readonly string _root;
    private readonly ProjectConnectionsOptions _options;
    private readonly StampedCache<IAttemptConnections> _versions;

    private ReloadingConnections(string root, ProjectConnectionsOptions options)
    {
        _root = root;
        Redactor = options.Redactor ?? new SecretRedactor();
        _options = options with { Redactor = Redactor };
        _versions = new StampedCache<IAttemptConnections>(() => ProjectFiles.SettingsStamp(root), Load);
    }

    /// <summary>Every secret value and credential setting resolved so far, in any version; use it on log lines and stored outputs.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>
    /// Opens the connections of <paramref name="project"/> as <paramref name="options"/> say, reading them now: a host
    /// that starts with broken files says so at once rather than at its first block.
    /// </summary>
    /// <exception cref="IoConfigException">io_config.yaml has errors, or the profile does not exist.</exception>
    public static ReloadingConnections Open(DuraflowProject project, ProjectConnectionsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        var connections = new ReloadingConnections(project.Root, options ?? new ProjectConnectionsOptions());
        if (connections.Current() is UnreadableConnections unreadable)
        {
            throw new IoConfigException(unreadable.Problem);
        }

        return connections;
    }

    /// <summary>The version of the files now; a block attempt takes it once, when it starts.</summary>
    public IAttemptConnections Current() => _versions.Get();

    private IAttemptConnections Load()
    {
        // duraflow.yaml again too, for its secrets settings; its store and worker settings are the engine's, read once.
        var project = DuraflowProject.Open(_root, displayRoot: _root);
        var errors = project.SettingsDiagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
        {
            return new UnreadableConnections(
                $"{DuraflowProject.SettingsFileName} has errors, so its secrets settings are unknown:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        try
        {
            return ProjectConnections.Open(project, _options);
        }
        catch (IoConfigException e)
        {
            return new UnreadableConnections(e.Message);
        }
    }
}
