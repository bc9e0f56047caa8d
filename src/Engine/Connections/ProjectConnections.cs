using Duraflow.Blocks;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Connections;

/// <summary>
/// The connections and secrets blocks of one project see at run time: the connections of the selected io_config.yaml
/// profile, with <c>{{ env.X }}</c> and <c>{{ secrets.X }}</c> resolved on each use, and secrets looked up in
/// secrets.local.yaml, then the environment (<c>DURAFLOW_SECRET_X</c>), then Key Vault when duraflow.yaml names one.
/// </summary>
/// <remarks>
/// One version of the project's files: <see cref="ReloadingConnections"/> opens one per version and shares it between
/// the block attempts that start while it is current. It is thread-safe, and its secret cache and <see cref="Redactor"/>
/// are meant to span those attempts. Secret values, and the resolved <c>connection_string</c> and
/// <c>authorization</c> settings, are remembered by <see cref="Redactor"/>.
/// </remarks>
internal sealed class ProjectConnections : IAttemptConnections
{
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, ConnectionDefinition> _connections;
    private readonly CachedSecrets _secrets;
    private readonly Func<string, string?> _environment;

    private ProjectConnections(
        string root, string profile, IReadOnlyDictionary<string, ConnectionDefinition> connections, CachedSecrets secrets, SecretRedactor redactor, Func<string, string?> environment)
    {
        _root = root;
        Profile = profile;
        _connections = connections;
        _secrets = secrets;
        Redactor = redactor;
        _environment = environment;
    }

    /// <summary>The selected profile.</summary>
    public string Profile { get; }

    /// <summary>The name of every connection of the profile, in name order.</summary>
    public IReadOnlyList<string> ConnectionNames => [.. _connections.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every secret value and credential setting resolved so far; use it on log lines and stored outputs.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>Opens the connections of <paramref name="project"/> as <paramref name="options"/> say.</summary>
    /// <exception cref="IoConfigException">io_config.yaml has errors, or the profile does not exist.</exception>
    public static ProjectConnections Open(DuraflowProject project, ProjectConnectionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        var config = IoConfig.Load(project.Root, project.Root);
        var profile = IoConfig.SelectProfile(options.Profile);
        var problems = config.Diagnostics.Where(d => d.IsError).ToList();
        if (config.CheckProfile(profile) is { } unknownProfile)
        {
            problems.Add(unknownProfile);
        }

        if (problems.Count > 0)
        {
            throw new IoConfigException($"cannot open the project's connections:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }

        var redactor = options.Redactor ?? new SecretRedactor();
        var secrets = ProjectSecrets.Open(project, options.Environment, options.KeyVault, options.Time, redactor);
        return new ProjectConnections(project.Root, profile, config.ConnectionsOf(profile), secrets, redactor, options.Environment);
    }

    /// <summary>
    /// The connection <paramref name="name"/> of the profile, its templates resolved. A relative <c>path</c> of a
    /// sqlite or duckdb connection is made absolute against the project folder.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">There is no such connection, or a variable or secret it uses is missing.</exception>
    /// <exception cref="SecretUnavailableException">Key Vault cannot answer now; trying again later may help.</exception>
    public async Task<Connection> GetConnectionAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_connections.TryGetValue(name, out var definition))
        {
            var hint = EditDistance.DidYouMean(name, _connections.Keys);
            var known = _connections.Count == 0 ? "it has no connections" : $"its connections are {string.Join(", ", ConnectionNames)}";
            throw new NonRetryableBlockException($"connection '{name}' is not in profile '{Profile}' of {IoConfig.FileName}; {hint}{known}");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in definition.Settings)
        {
            var (parts, _) = ConnectionTemplate.Parse(text);
            var value = await ConnectionTemplate.RenderAsync(parts, part => ResolveAsync(definition, key, part, cancellationToken)).ConfigureAwait(false);
            if (key == ConnectionTypes.Path && definition.Type is "sqlite" or "duckdb" && value != ":memory:" && !Path.IsPathRooted(value))
            {
                value = Path.GetFullPath(Path.Combine(_root, value));
            }

            if (ConnectionTypes.Sensitive.Contains(key))
            {
                Redactor.Remember(value);
            }

            settings[key] = value;
        }

        return new Connection(name, definition.Type, settings);
    }

    /// <summary>The value of secret <paramref name="name"/>: from secrets.local.yaml, the environment or Key Vault.</summary>
    /// <exception cref="NonRetryableBlockException">No provider has the secret; the message says where it looked.</exception>
    /// <exception cref="SecretUnavailableException">Key Vault cannot answer now; trying again later may help.</exception>
    public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) => _secrets.GetAsync(name, cancellationToken);

    Task<Connection> IConnections.GetAsync(string name, CancellationToken cancellationToken) => GetConnectionAsync(name, cancellationToken);

    Task<string> ISecrets.GetAsync(string name, CancellationToken cancellationToken) => GetSecretAsync(name, cancellationToken);

    private async Task<string> ResolveAsync(ConnectionDefinition definition, string key, ConnectionTemplate.Part part, CancellationToken cancellationToken)
    {
        var where = $"'{key}' of connection '{definition.Name}' ({definition.Location})";
        if (part.Root == ConnectionTemplate.Env)
        {
            return _environment(part.Name)
                ?? throw new NonRetryableBlockException($"{where} uses {{{{ env.{part.Name} }}}}, but environment variable {part.Name} is not set");
        }

        try
        {
            return await _secrets.GetAsync(part.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (NonRetryableBlockException e)
        {
            throw new NonRetryableBlockException($"{where} uses {{{{ secrets.{part.Name} }}}}: {e.Message}", e);
        }
    }
}
