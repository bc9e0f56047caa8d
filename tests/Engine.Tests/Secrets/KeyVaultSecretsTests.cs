using System.Net;
using System.Net.Sockets;
using Azure.Security.KeyVault.Secrets;
using Duraflow.Blocks;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Secrets;

/// <summary>The real SecretClient against a local HTTPS stand-in of Key Vault, through the project's secrets layer.</summary>
public sealed class KeyVaultSecretsTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FixedTokenCredential _credential = new(KeyVaultStandIn.Token);
    private readonly ManualTime _time = new();
    private KeyVaultStandIn _vault = null!; // Set by InitializeAsync, which xunit runs before each test.

    public async Task InitializeAsync() => _vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetSecret_FromKeyVault_AnswersTheBearerChallengeThenReturnsTheValue()
    {
        _vault.Secrets["warehouse-connection"] = "Host=db;Password=from-the-vault";
        var connections = Open();

        var value = await connections.GetSecretAsync("warehouse_connection", CancellationToken.None);

        Assert.Equal("Host=db;Password=from-the-vault", value);
        var requests = _vault.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.False(requests[0].Authorized);
        Assert.True(requests[1].Authorized);
        Assert.All(requests, r => Assert.Equal(("GET", "/secrets/warehouse-connection"), (r.Method, r.Path)));
        Assert.All(requests, r => Assert.NotEmpty(r.ApiVersion));
        var token = Assert.Single(_credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], token.Scopes);
        Assert.Equal(KeyVaultStandIn.Tenant, token.TenantId);
        Assert.Equal("Password=***", connections.Redactor.Redact("Password=Host=db;Password=from-the-vault"));
    }

    [Fact]
    public async Task GetSecret_MissingEverywhere_FailsWithoutRetryNamingEachPlaceLookedIn()
    {
        var connections = Open();

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => connections.GetSecretAsync("api_token", CancellationToken.None));

        Assert.Equal(
            $"secret 'api_token' was not found; looked in: secrets.local.yaml (no such file); environment variable DURAFLOW_SECRET_API_TOKEN; Key Vault {_vault.VaultUri} (secret 'api-token')",
            error.Message);
        Assert.Equal(1, _vault.AnsweredRequestsFor("api-token"));
    }

    [Theory]
    [InlineData("duraflow_api_key")]
    [InlineData("duraflow-api-key")]
    [InlineData("DURAFLOW_API_KEY")]
    public async Task GetSecret_TheAppsOwnApiKey_IsRefusedWithoutAskingAnyProvider(string name)
    {
        _vault.Secrets["duraflow-api-key"] = "the-app-key-0123456789abcdef0123456789abcdef";
        var connections = Open();

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => connections.GetSecretAsync(name, CancellationToken.None));

        Assert.Contains("the app's own API key", error.Message, StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task GetSecret_WithinTheCacheTtl_CallsKeyVaultOnceUntilTheTtlHasPassed()
    {
        _vault.Secrets["warehouse-connection"] = "first-value";
        var connections = Open(cacheTtl: "5m");

        Assert.Equal("first-value", await connections.GetSecretAsync("warehouse_connection", CancellationToken.None));
        _vault.Secrets["warehouse-connection"] = "rotated-value";
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("first-value", await connections.GetSecretAsync("warehouse_connection", CancellationToken.None));
        Assert.Equal(1, _vault.AnsweredRequestsFor("warehouse-connection"));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("rotated-value", await connections.GetSecretAsync("warehouse_connection", CancellationToken.None));
        Assert.Equal(2, _vault.AnsweredRequestsFor("warehouse-connection"));
        Assert.Equal("*** then ***", connections.Redactor.Redact("first-value then rotated-value"));
    }

    [Fact]
    public async Task GetSecret_LocalFileAndEnvironment_AreAskedBeforeKeyVault()
    {
        _vault.Secrets["in-file"] = "from-the-vault";
        _vault.Secrets["in-env"] = "from-the-vault";
        _folder.Write("secrets.local.yaml", "in_file: from-the-file\n");
        var connections = Open(environment: new() { ["DURAFLOW_SECRET_IN_ENV"] = "from-the-environment" });

        Assert.Equal("from-the-file", await connections.GetSecretAsync("in_file", CancellationToken.None));
        Assert.Equal("from-the-environment", await connections.GetSecretAsync("in_env", CancellationToken.None));
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task GetSecret_KeyVaultThrottles_IsRetryable()
    {
        _vault.Throttled["busy"] = true;
        var connections = Open();

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => connections.GetSecretAsync("busy", CancellationToken.None));

        Assert.StartsWith($"Key Vault {_vault.VaultUri} is throttling requests (429) while reading secret 'busy'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecret_KeyVaultUnreachable_IsRetryableAndNotCached()
    {
        var closed = ClosedPortUri();
        var connections = Open(vault: closed);

        var first = await Assert.ThrowsAsync<SecretUnavailableException>(() => connections.GetSecretAsync("anything", CancellationToken.None));
        var second = await Assert.ThrowsAsync<SecretUnavailableException>(() => connections.GetSecretAsync("anything", CancellationToken.None));

        Assert.StartsWith($"Key Vault {closed} could not be reached while reading secret 'anything'", first.Message, StringComparison.Ordinal);
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task GetSecret_KeyVaultRefusesAccess_FailsWithoutRetryNamingTheRole()
    {
        _vault.Secrets["locked"] = "value";
        var project = Project(_vault.VaultUri, "5m");
        var connections = ProjectConnections.Open(project, new ProjectConnectionsOptions
        {
            Time = _time,
            KeyVault = new KeyVaultAccess(new FixedTokenCredential("not-the-token"), _vault.ClientOptions()),
            Environment = _ => null,
        });

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => connections.GetSecretAsync("locked", CancellationToken.None));

        Assert.Contains("refused to give secret 'locked' (401", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Key Vault Secrets User' role", error.Message, StringComparison.Ordinal);
    }

    private ProjectConnections Open(string cacheTtl = "5m", Uri? vault = null, Dictionary<string, string>? environment = null) =>
        ProjectConnections.Open(Project(vault ?? _vault.VaultUri, cacheTtl), new ProjectConnectionsOptions
        {
            Time = _time,
            KeyVault = new KeyVaultAccess(_credential, _vault.ClientOptions()),
            Environment = name => environment?.GetValueOrDefault(name),
        });

    private DuraflowProject Project(Uri vault, string cacheTtl)
    {
        _folder.Write("duraflow.yaml", $"secrets:\n  key_vault: {vault}\n  cache_ttl: {cacheTtl}\n");
        var project = DuraflowProject.Open(_folder.Root);
        Assert.Empty(project.SettingsDiagnostics);
        return project;
    }

    // A port that was free a moment ago and has no listener now: connecting to it is refused.
    private static Uri ClosedPortUri()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"https://127.0.0.1:{port}/");
    }
}
