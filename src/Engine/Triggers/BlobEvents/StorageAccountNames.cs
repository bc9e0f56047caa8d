namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>Finds a storage account's name in the places events and io_config connections mention it.</summary>
internal static class StorageAccountNames
{
    private const string AccountsSegment = "/storageAccounts/";

    /// <summary>The account in an Azure resource id (an Event Grid <c>topic</c> or CloudEvents <c>source</c>); null when it names none.</summary>
    /// <param name="resourceId">For example <c>/subscriptions/…/providers/Microsoft.Storage/storageAccounts/NAME</c>.</param>
    public static string? FromResourceId(string? resourceId)
    {
        var at = resourceId?.IndexOf(AccountsSegment, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var rest = resourceId![(at + AccountsSegment.Length)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        var name = end < 0 ? rest : rest[..end];
        return name.Length == 0 ? null : name.ToLowerInvariant();
    }

    /// <summary>
    /// The account in a blob service or blob URL: the first host label of <c>NAME.blob.core.windows.net</c> (any cloud's
    /// suffix), or the first path segment of an emulator's path-style URL (<c>http://127.0.0.1:10000/NAME/…</c>).
    /// </summary>
    /// <param name="url">An absolute http(s) URL.</param>
    public static string? FromBlobUrl(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var host = url.Host;
        var blob = host.IndexOf(".blob.", StringComparison.OrdinalIgnoreCase);
        if (blob > 0)
        {
            return host[..blob].ToLowerInvariant();
        }

        // Emulators (Azurite on an IP, localhost or a container name) use path-style URLs with the account first in
        // the path; any other host does not say which account it fronts.
        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 0 ? segments[0].ToLowerInvariant() : null;
    }

    /// <summary>
    /// The account an <c>azure_blob</c> io_config connection points at, from its resolved settings: <c>AccountName=</c>
    /// of a connection string, the emulator's account for <c>UseDevelopmentStorage=true</c>, or the host of
    /// <c>account_url</c>; null when none of these says.
    /// </summary>
    /// <param name="connectionString">The resolved <c>connection_string</c> setting, if any.</param>
    /// <param name="accountUrl">The resolved <c>account_url</c> setting, if any.</param>
    public static string? FromConnection(string? connectionString, string? accountUrl)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var key = part[..equals].Trim();
                var value = part[(equals + 1)..].Trim();
                if (key.Equals("AccountName", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
                {
                    return value.ToLowerInvariant();
                }

                if (key.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase) && value.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return "devstoreaccount1";
                }

                if (key.Equals("BlobEndpoint", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
                {
                    return FromBlobUrl(endpoint);
                }
            }
        }

        return Uri.TryCreate(accountUrl, UriKind.Absolute, out var url) ? FromBlobUrl(url) : null;
    }
}
