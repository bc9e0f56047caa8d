using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Identity;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The Azure Storage account the engine keeps its state in, and the factory of its clients. It is reached either
/// with a connection string (<c>UseDevelopmentStorage=true</c> for Azurite, or a real account's) or with an Entra ID
/// token for the account's service URI, following the Azure Functions convention for identity-based connections.
/// </summary>
/// <remarks>
/// <para>Settings understood for a setting name <c>P</c> (such as <c>AzureWebJobsStorage</c>); <c>P:x</c> is read like
/// <c>P__x</c>, for values that come through <c>IConfiguration</c>:</para>
/// <list type="bullet">
/// <item><c>P</c>: a connection string. It wins over every other setting.</item>
/// <item><c>P__blobServiceUri</c> (or <c>P__serviceUri</c>): the https URI of the blob service; the queue and table
/// services are found by replacing <c>.blob.</c> in its host, unless <c>P__queueServiceUri</c> and
/// <c>P__tableServiceUri</c> say otherwise.</item>
/// <item><c>P__accountName</c>: the account name, giving <c>https://NAME.blob.ENDPOINT_SUFFIX</c> (and <c>.queue.</c>,
/// <c>.table.</c>); the suffix is <c>P__endpointSuffix</c> (default <c>core.windows.net</c>, other values for sovereign
/// clouds).</item>
/// <item><c>P__credential</c>: absent for <see cref="DefaultAzureCredential"/> (a managed identity in Azure, the
/// developer's az/azd/Visual Studio sign-in locally), or <c>managedidentity</c> for a managed identity only.</item>
/// <item><c>P__clientId</c>: the client id of a user-assigned managed identity.</item>
/// </list>
/// <para>Clients are thread-safe; create one per account and reuse it, as each holds a connection pool and a token
/// cache.</para>
/// </remarks>
internal sealed partial class AzureStorageAccount
{
    /// <summary>The endpoint suffix of Azure's public cloud.</summary>
    public const string DefaultEndpointSuffix = "core.windows.net";

    private readonly string? _connectionString;

    private AzureStorageAccount(
        string setting, string? connectionString, Uri? blobServiceUri, TokenCredential? credential, Uri? queueServiceUri = null, Uri? tableServiceUri = null)
    {
        Setting = setting;
        _connectionString = connectionString;
        BlobServiceUri = blobServiceUri;
        Credential = credential;
        QueueServiceUri = queueServiceUri ?? SiblingService(blobServiceUri, "queue");
        TableServiceUri = tableServiceUri ?? SiblingService(blobServiceUri, "table");
    }

    /// <summary>The setting (or its prefix) this account was read from, for error messages.</summary>
    public string Setting { get; }

    /// <summary>True when the account is reached with a connection string rather than an Entra ID token.</summary>
    public bool UsesConnectionString => _connectionString is not null;

    /// <summary>
    /// The connection string, for a library that takes one rather than clients (the Durable Task provider); null when
    /// the account is reached with a token. It holds the account key: never log or show it.
    /// </summary>
    public string? ConnectionString => _connectionString;

    /// <summary>The blob service URI when the account is reached with a token; null with a connection string.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>The queue service URI when the account is reached with a token and it is known; null otherwise.</summary>
    public Uri? QueueServiceUri { get; }

    /// <summary>The table service URI when the account is reached with a token and it is known; null otherwise.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary>The credential that signs requests when the account is reached with a token; null with a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>An account reached with <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Azure Storage connection string, or <c>UseDevelopmentStorage=true</c>.</param>
    /// <param name="setting">The setting it came from, named in errors instead of the string, which may hold a key.</param>
    /// <exception cref="InvalidOperationException">The string is not an Azure Storage connection string.</exception>
    public static AzureStorageAccount FromConnectionString(string connectionString, string setting = "connection string")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            // Parsing fails here, where the setting is known, rather than at the first request.
            _ = new BlobServiceClient(connectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The SDK's message would quote the string and with it the account key; name the setting instead.
            throw new InvalidOperationException(
                $"{setting} is not an Azure Storage connection string (AccountName=...;AccountKey=..., a SAS connection "
                + "string, or UseDevelopmentStorage=true for Azurite)");
        }

        return new AzureStorageAccount(setting, connectionString, null, null);
    }

    /// <summary>An account whose blob service at <paramref name="blobServiceUri"/> is reached with <paramref name="credential"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="blobServiceUri"/> is not an absolute https URI.</exception>
    public static AzureStorageAccount FromIdentity(Uri blobServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);

        // Azure.Core refuses to send a bearer token over plain http, so an http URI would only fail later.
        if (!blobServiceUri.IsAbsoluteUri || blobServiceUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"the blob service URI must be an absolute https URI, not '{blobServiceUri}'", nameof(blobServiceUri));
        }

        return new AzureStorageAccount(blobServiceUri.ToString(), null, blobServiceUri, credential);
    }

    /// <summary>The account described by the environment variables named <paramref name="prefix"/> and <c>{prefix}__*</c>.</summary>
    /// <inheritdoc cref="FromSettings" path="/exception"/>
    public static AzureStorageAccount FromEnvironment(string prefix = "AzureWebJobsStorage")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                settings[name] = variable.Value as string;
            }
        }

        return FromSettings(prefix, settings);
    }

    /// <summary>The account described by the settings named <paramref name="prefix"/> and <c>{prefix}__*</c> (see the remarks on the type).</summary>
    /// <param name="prefix">The setting name, such as <c>AzureWebJobsStorage</c>; names are matched ignoring case, like app settings.</param>
    /// <param name="settings">The settings, such as app settings or environment variables; other entries are ignored.</param>
    /// <param name="credential">Replaces the credential the settings would choose (for tests, or a host's own credential).</param>
    /// <exception cref="InvalidOperationException">The settings describe no account, or a setting's value cannot work; the message names the setting.</exception>
    public static AzureStorageAccount FromSettings(string prefix, IReadOnlyDictionary<string, string?> settings, TokenCredential? credential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentNullException.ThrowIfNull(settings);

        if (Find(settings, prefix) is { } connectionString)
        {
            return FromConnectionString(connectionString, prefix);
        }

        var blobServiceUri = BlobServiceUriOf(settings, prefix);
        return new AzureStorageAccount(
            prefix, null, blobServiceUri, credential ?? CredentialOf(settings, prefix),
            ServiceUriSetting(settings, prefix, "queueServiceUri", "queue"), ServiceUriSetting(settings, prefix, "tableServiceUri", "table"));
    }

    /// <summary>A client for the account's blob service.</summary>
    /// <param name="options">Client options (retries, diagnostics, service version); the SDK's defaults when null.</param>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        _connectionString is not null
            ? new BlobServiceClient(_connectionString, options)
            : new BlobServiceClient(BlobServiceUri!, Credential!, options); // Set together by every path that leaves the connection string null.

    /// <summary>A client of the account's queue service; messages are base64 text, as Functions queue triggers read them.</summary>
    /// <exception cref="InvalidOperationException">The queue service URI is unknown (a custom blob service URI without <c>P__queueServiceUri</c>).</exception>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions? options = null) =>
        _connectionString is not null
            ? new QueueServiceClient(_connectionString, options)
            : new QueueServiceClient(QueueServiceUri ?? throw MissingService("queueServiceUri"), Credential!, options);

    /// <summary>A client of the account's table service.</summary>
    /// <exception cref="InvalidOperationException">The table service URI is unknown (a custom blob service URI without <c>P__tableServiceUri</c>).</exception>
    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        _connectionString is not null
            ? new TableServiceClient(_connectionString, options)
            : new TableServiceClient(TableServiceUri ?? throw MissingService("tableServiceUri"), Credential!, options);

    /// <inheritdoc/>
    public override string ToString() =>
        UsesConnectionString ? $"{Setting} (connection string)" : $"{Setting} ({BlobServiceUri}, Entra ID)";

    private static Uri BlobServiceUriOf(IReadOnlyDictionary<string, string?> settings, string prefix)
    {
        foreach (var name in new[] { "blobServiceUri", "serviceUri" })
        {
            if (Find(settings, $"{prefix}__{name}") is { } text)
            {
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                    ? uri
                    : throw new InvalidOperationException(
                        $"{prefix}__{name} must be the https URI of the storage account's blob service, such as "
                        + $"https://ACCOUNT.blob.{DefaultEndpointSuffix}, not '{text}'");
            }
        }

        if (Find(settings, $"{prefix}__accountName") is { } account)
        {
            if (!AccountName().IsMatch(account))
            {
                throw new InvalidOperationException(
                    $"{prefix}__accountName must be a storage account name (3 to 24 lowercase letters and digits), not '{account}'");
            }

            var suffix = Find(settings, $"{prefix}__endpointSuffix") ?? DefaultEndpointSuffix;
            return Uri.TryCreate($"https://{account}.blob.{suffix.Trim('.')}", UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"{prefix}__endpointSuffix must be a DNS suffix such as {DefaultEndpointSuffix}, not '{suffix}'");
        }

        throw new InvalidOperationException(
            $"no Azure Storage account is configured: set {prefix} to a connection string (UseDevelopmentStorage=true for "
            + $"Azurite), or {prefix}__accountName or {prefix}__blobServiceUri to sign in with a managed identity");
    }

    // Azure's service hosts differ only in the service label: ACCOUNT.blob.SUFFIX, ACCOUNT.queue.SUFFIX, ...
    private static Uri? SiblingService(Uri? blobServiceUri, string service)
    {
        if (blobServiceUri is null)
        {
            return null;
        }

        var labels = blobServiceUri.Host.Split('.');
        if (labels.Length < 3 || !string.Equals(labels[1], "blob", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        labels[1] = service;
        return new UriBuilder(blobServiceUri) { Host = string.Join('.', labels) }.Uri;
    }

    private static Uri? ServiceUriSetting(IReadOnlyDictionary<string, string?> settings, string prefix, string name, string service)
    {
        if (Find(settings, $"{prefix}__{name}") is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidOperationException(
                $"{prefix}__{name} must be the https URI of the storage account's {service} service, such as "
                + $"https://ACCOUNT.{service}.{DefaultEndpointSuffix}, not '{text}'");
    }

    private InvalidOperationException MissingService(string name) => new(
        $"{Setting}: the blob service URI {BlobServiceUri} is not of the form https://ACCOUNT.blob.SUFFIX, so the {name} cannot be "
        + $"derived from it; set {Setting}__{name} as well, or use {Setting}__accountName");

    private static TokenCredential CredentialOf(IReadOnlyDictionary<string, string?> settings, string prefix)
    {
        var clientId = Find(settings, $"{prefix}__clientId");
        switch (Find(settings, $"{prefix}__credential"))
        {
            case null:
                return clientId is null
                    ? new DefaultAzureCredential()
                    : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
            case var kind when string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase):
                return new ManagedIdentityCredential(
                    clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
            case var other:
                throw new InvalidOperationException(
                    $"{prefix}__credential must be managedidentity, or be left out to use DefaultAzureCredential; '{other}' is not known");
        }
    }

    /// <summary>The non-blank value of <paramref name="name"/>, matched ignoring case and reading <c>__</c> and <c>:</c> alike.</summary>
    private static string? Find(IReadOnlyDictionary<string, string?> settings, string name)
    {
        if (settings.TryGetValue(name, out var exact) && !string.IsNullOrWhiteSpace(exact))
        {
            return exact.Trim();
        }

        var wanted = Normalize(name);
        foreach (var (key, value) in settings)
        {
            if (!string.IsNullOrWhiteSpace(value) && string.Equals(Normalize(key), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return value.Trim();
            }
        }

        return null;
    }

    private static string Normalize(string name) => name.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountName();
}
