using Duraflow.Blocks;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Projects;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Connections;

public sealed class ProjectConnectionsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public ProjectConnectionsTests()
    {
        _folder.Write("io_config.yaml", """
            default:
              warehouse:
                type: postgres
                connection_string: "Host={{ env.PG_HOST }};Password={{ secrets.pg_password }}"
              files:
                type: duckdb
                path: data/local.duckdb
            dev:
              files:
                type: sqlite
                path: /var/data/dev.db
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetConnection_ResolvesEnvAndSecrets_AndRemembersTheConnectionStringForRedaction()
    {
        _environment["PG_HOST"] = "db.internal";
        _environment["DURAFLOW_SECRET_PG_PASSWORD"] = "pa55-word";
        IConnections connections = Open();

        var warehouse = await connections.GetAsync("warehouse", CancellationToken.None);

        Assert.Equal(("warehouse", "postgres"), (warehouse.Name, warehouse.Type));
        Assert.Equal("Host=db.internal;Password=pa55-word", warehouse.Setting("connection_string"));
        var redactor = ((ProjectConnections)connections).Redactor;
        Assert.Equal("connecting with *** failed", redactor.Redact("connecting with Host=db.internal;Password=pa55-word failed"));
        Assert.Equal("password *** rejected", redactor.Redact("password pa55-word rejected"));
    }

    [Fact]
    public async Task GetConnection_RelativeDatabasePath_IsResolvedAgainstTheProjectFolder()
    {
        var files = await Open().GetConnectionAsync("files", CancellationToken.None);

        Assert.Equal(Path.Combine(_folder.Root, "data", "local.duckdb"), files.Setting("path"));
    }

    [Fact]
    public async Task Open_WithAProfile_UsesItsConnectionsOverDefault()
    {
        var connections = Open("dev");

        var files = await connections.GetConnectionAsync("files", CancellationToken.None);

        Assert.Equal(("dev", "sqlite", "/var/data/dev.db"), (connections.Profile, files.Type, files.Setting("path")));
        Assert.Equal(["files", "warehouse"], connections.ConnectionNames);
    }

    [Fact]
    public async Task GetConnection_Unknown_FailsWithoutRetryNamingTheConnectionsThatExist()
    {
        IConnections connections = Open();

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => connections.GetAsync("warehose", CancellationToken.None));

        Assert.Equal("connection 'warehose' is not in profile 'default' of io_config.yaml; did you mean 'warehouse'? its connections are files, warehouse", error.Message);
    }

    [Fact]
    public async Task GetConnection_MissingEnvironmentVariable_FailsWithoutRetryNamingItAndTheSetting()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Open().GetConnectionAsync("warehouse", CancellationToken.None));

        Assert.Equal("'connection_string' of connection 'warehouse' (io_config.yaml:2:3) uses {{ env.PG_HOST }}, but environment variable PG_HOST is not set", error.Message);
    }

    [Fact]
    public async Task GetConnection_MissingSecret_FailsWithoutRetrySayingWhereItLooked()
    {
        _environment["PG_HOST"] = "db.internal";

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => Open().GetConnectionAsync("warehouse", CancellationToken.None));

        Assert.Equal(
            "'connection_string' of connection 'warehouse' (io_config.yaml:2:3) uses {{ secrets.pg_password }}: secret 'pg_password' was not found; looked in: secrets.local.yaml (no such file); environment variable DURAFLOW_SECRET_PG_PASSWORD",
            error.Message);
    }

    [Fact]
    public async Task GetSecret_ThroughTheBlockInterface_ReadsTheLocalFile()
    {
        _folder.Write("secrets.local.yaml", "api_token: local-token-value\n");
        ISecrets secrets = Open();

        Assert.Equal("local-token-value", await secrets.GetAsync("api_token", CancellationToken.None));
    }

    [Fact]
    public void Open_UnknownProfile_ThrowsNamingTheProfiles()
    {
        var error = Assert.Throws<IoConfigException>(() => Open("prod"));

        Assert.Contains("io_config.yaml: error DF021: profile 'prod' (from --profile or DURAFLOW_PROFILE) is not in io_config.yaml; profiles are default, dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BrokenIoConfig_ThrowsWithTheLocatedProblems()
    {
        _folder.Write("io_config.yaml", "default:\n  db: { type: postgres }\n");

        var error = Assert.Throws<IoConfigException>(() => Open());

        Assert.Contains("io_config.yaml:2:3: error DF010: connection 'db' of profile 'default' needs 'connection_string'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoIoConfig_HasNoConnections()
    {
        File.Delete(_folder.PathOf("io_config.yaml"));

        Assert.Empty(Open().ConnectionNames);
    }

    private ProjectConnections Open(string profile = "default") =>
        ProjectConnections.Open(DuraflowProject.Open(_folder.Root), new ProjectConnectionsOptions
        {
            Profile = profile,
            Environment = name => _environment.GetValueOrDefault(name),
        });
}
