using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// The <see cref="BlobServiceClient"/> of an <c>azure_blob</c> connection: built from its <c>connection_string</c>
/// when it has one, otherwise from its <c>account_url</c> signed in with <see cref="DefaultAzureCredential"/>
/// (a managed identity in Azure; az, azd or Visual Studio sign-in on a developer machine).
/// </summary>
/// <remarks>
/// Clients are thread-safe and meant to be reused: each holds a pool of HTTP connections and, with Entra ID, a token
/// cache. So they live as long as the process, one per connection string or account URL.
/// </remarks>
internal static class BlobClients
{
    /// <summary>The io_config.yaml type of connections these clients serve.</summary>
    public const string ConnectionType = "azure_blob";

    private static readonly ConcurrentDictionary<string, BlobServiceClient> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<DefaultAzureCredential> Credential = new(() => new DefaultAzureCredential());

    /// <summary>
    /// The client for <paramref name="connection"/>; fails without retries when it is not an <c>azure_blob</c>
    /// connection or its settings cannot work. <paramref name="who"/> starts error messages (<c>block x (csv.read)</c>).
    /// </summary>
    public static BlobServiceClient For(Connection connection, string who)
    {
        if (!string.Equals(connection.Type, ConnectionType, StringComparison.Ordinal))
        {
            throw new NonRetryableBlockException(
                $"{who}: connection '{connection.Name}' is of type {connection.Type}; with.connection must name an {ConnectionType} connection of io_config.yaml");
        }

        if (connection.Setting("connection_string") is { Length: > 0 } connectionString)
        {
            return Cache.GetOrAdd("connection_string " + connectionString, _ => FromConnectionString(connectionString, connection.Name, who));
        }

        if (connection.Setting("account_url") is { Length: > 0 } accountUrl)
        {
            return Cache.GetOrAdd("account_url " + accountUrl, _ => FromAccountUrl(accountUrl, connection.Name, who));
        }

        throw new NonRetryableBlockException(
            $"{who}: connection '{connection.Name}' ({ConnectionType}) needs connection_string or account_url in io_config.yaml");
    }

    private static BlobServiceClient FromConnectionString(string connectionString, string name, string who)
    {
        try
        {
            return new BlobServiceClient(connectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The message would quote the string, and with it the account key; say where to look instead.
            throw new NonRetryableBlockException(
                $"{who}: connection '{name}': connection_string is not an Azure Storage connection string "
                + "(AccountName=...;AccountKey=..., a SAS connection string, or UseDevelopmentStorage=true for Azurite)");
        }
    }

    private static BlobServiceClient FromAccountUrl(string accountUrl, string name, string who) =>
        Uri.TryCreate(accountUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? new BlobServiceClient(uri, Credential.Value)
            : throw new NonRetryableBlockException(
                $"{who}: connection '{name}': account_url must be the https URL of the storage account's blob service, "
                + $"such as https://ACCOUNT.blob.core.windows.net, not '{accountUrl}'");
}
