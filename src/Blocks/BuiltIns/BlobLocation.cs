using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Duraflow.Blocks.Settings;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Where a file block reads or writes, or a sensor looks, when its <c>connection</c> setting names an
/// <c>azure_blob</c> connection: <c>path</c> is then <c>CONTAINER/path/in/container</c>, and the blob name may hold
/// wildcards (<see cref="BlobPattern"/>). Logs and errors show it as <c>CONNECTION:CONTAINER/PATH</c>.
/// </summary>
/// <remarks>
/// Errors that the same request would meet again (no such container or blob, access denied, a refused name) fail the
/// block without retries and say what to fix; others (5xx, throttling, timeouts) are ordinary exceptions, which the
/// block's retry policy retries.
/// </remarks>
internal sealed class BlobLocation
{
    /// <summary>The <c>connection</c> setting the file blocks and <c>sensor.blob</c> share.</summary>
    public static readonly ConfigField Setting = new(
        "connection", ConfigKind.Text, "An azure_blob connection of io_config.yaml; path is then CONTAINER/PATH in its storage account");

    private readonly BlobContainerClient _container;
    private readonly string _who;

    // The versions ListModifiedAsync saw, so that a download gets the blob as listed, with the time its watermark
    // records, or fails (a blob rewritten in between is read on the attempt's retry, with its new time).
    private readonly Dictionary<string, ETag> _listed = new(StringComparer.Ordinal);

    private BlobLocation(BlobContainerClient container, string connection, string blob, string who)
    {
        _container = container;
        _who = who;
        Connection = connection;
        Blob = new BlobPattern(blob);
    }

    /// <summary>The connection's name.</summary>
    public string Connection { get; }

    /// <summary>The container's name.</summary>
    public string Container => _container.Name;

    /// <summary>The blob name, or a pattern of names, inside the container.</summary>
    public BlobPattern Blob { get; }

    /// <summary><c>CONTAINER/PATH</c>, as <c>path</c> is written.</summary>
    public string Path => $"{Container}/{Blob.Name}";

    /// <summary><c>CONNECTION:CONTAINER/PATH</c>, for logs and errors.</summary>
    public string Display => $"{Connection}:{Path}";

    /// <summary>
    /// The blob location of the block's settings, or null when it has no <c>connection</c> (a local path).
    /// Wildcards are refused unless <paramref name="wildcards"/>: a write goes to one blob.
    /// </summary>
    public static async Task<BlobLocation?> FromAsync(BlockSettings settings, BlockContext context, bool wildcards)
    {
        if (settings.Text("connection") is not { Length: > 0 } name)
        {
            return null;
        }

        var who = $"block {context.Block} ({settings.Owner})";
        var connection = await context.Connections.GetAsync(name, context.CancellationToken).ConfigureAwait(false);
        var service = BlobClients.For(connection, who);
        var path = settings.RequiredText("path").TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw new NonRetryableBlockException(
                $"{who}: with.connection is set, so with.path must be CONTAINER/PATH (landing/orders.csv), not '{path}'");
        }

        var (container, blob) = (path[..slash], path[(slash + 1)..]);
        if (container.AsSpan().IndexOfAny('*', '?') >= 0 || (!wildcards && blob.AsSpan().IndexOfAny('*', '?') >= 0))
        {
            throw new NonRetryableBlockException(wildcards
                ? $"{who}: with.path '{path}': wildcards may stand in the blob name, not in the container name"
                : $"{who}: with.path '{path}': a write goes to one blob, so the path cannot hold wildcards");
        }

        // URLs collapse '.' and '..' segments, so "landing/../other/x.csv" would name a blob of another container.
        if (blob.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new NonRetryableBlockException(
                $"{who}: with.path '{path}' has a '.' or '..' segment; blob paths stay inside their container, so name the blob without them");
        }

        return new BlobLocation(service.GetBlobContainerClient(container), name, blob, who);
    }

    /// <summary>
    /// Downloads the blob, or every blob matching the pattern (or the blobs <paramref name="only"/> names), into a new
    /// folder under <paramref name="directory"/>; returns the local file, or a glob over the downloaded files, for
    /// DuckDB to read.
    /// </summary>
    public async Task<string> DownloadAsync(string directory, ILogger logger, CancellationToken cancellationToken, IReadOnlyList<string>? only = null)
    {
        var names = only ?? (Blob.IsGlob ? await ListAsync(stopAtFirst: false, cancellationToken).ConfigureAwait(false) : [Blob.Name]);
        if (names.Count == 0)
        {
            throw new NonRetryableBlockException($"{_who}: no blob matches {Display} (listed by the prefix '{Blob.Prefix}')");
        }

        var folder = System.IO.Path.Combine(directory, $"blobs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var name in names)
        {
            // Local names are a counter and the blob's file name cut down to safe characters, so no blob name ('..',
            // '[x]') can leave the folder or read as a DuckDB glob.
            var local = System.IO.Path.Combine(folder, $"{files.Count:D5}-{SafeFileName(name)}");
            var blob = _container.GetBlobClient(name);
            var options = new BlobDownloadToOptions
            {
                Conditions = _listed.TryGetValue(name, out var version) ? new BlobRequestConditions { IfMatch = version } : null,
            };
            await CallAsync(name, async token => await blob.DownloadToAsync(local, options, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            files.Add(local);
        }

        var bytes = files.Sum(f => new FileInfo(f).Length);
        BlobLog.Downloaded(logger, files.Count, bytes, Display);
        return Blob.IsGlob || only is not null ? System.IO.Path.Combine(folder, "*") : files[0];
    }

    /// <summary>The blob, or the blobs matching the pattern, with their last-modified times; empty when none exists.</summary>
    public Task<List<(string Name, DateTimeOffset Modified)>> ListModifiedAsync(CancellationToken cancellationToken) =>
        CallAsync(Blob.Prefix, async token =>
        {
            var found = new List<(string Name, DateTimeOffset Modified)>();
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = Blob.IsGlob ? Blob.Prefix : Blob.Name }, token).ConfigureAwait(false))
            {
                if (Blob.IsGlob ? Blob.Matches(item.Name) : item.Name == Blob.Name)
                {
                    found.Add((item.Name, item.Properties.LastModified ?? DateTimeOffset.MinValue));
                    if (item.Properties.ETag is { } version)
                    {
                        _listed[item.Name] = version;
                    }
                }
            }

            return found;
        }, cancellationToken);

    /// <summary>
    /// Uploads <paramref name="localFile"/> to the blob, replacing it if it exists. A missing container is created,
    /// as a local write creates its folder: an export's first run must not need a manual step.
    /// </summary>
    public async Task UploadAsync(string localFile, ILogger logger, CancellationToken cancellationToken)
    {
        await CallAsync(Blob.Name, async token => await _container.CreateIfNotExistsAsync(cancellationToken: token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var blob = _container.GetBlobClient(Blob.Name);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(Blob.Name) } };
        await CallAsync(Blob.Name, async token => await blob.UploadAsync(localFile, options, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var bytes = new FileInfo(localFile).Length;
        BlobLog.Uploaded(logger, bytes, Display);
    }

    /// <summary>Fails without retries when the container does not exist, so a sensor does not wait on a typo.</summary>
    public async Task RequireContainerAsync(CancellationToken cancellationToken)
    {
        var exists = await CallAsync(Blob.Name, async token => (await _container.ExistsAsync(token).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            throw new NonRetryableBlockException($"{_who}: {NoContainer}");
        }
    }

    /// <summary>The name of the blob, or of one blob matching the pattern, that exists now; null when none does.</summary>
    public async Task<string?> FindAsync(CancellationToken cancellationToken)
    {
        if (Blob.IsGlob)
        {
            return (await ListAsync(stopAtFirst: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        var blob = _container.GetBlobClient(Blob.Name);
        var exists = await CallAsync(Blob.Name, async token => (await blob.ExistsAsync(token).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        return exists ? Blob.Name : null;
    }

    private string NoContainer =>
        $"container '{Container}' does not exist in the storage account of connection '{Connection}'; create it, or fix the first part of with.path";

    private Task<List<string>> ListAsync(bool stopAtFirst, CancellationToken cancellationToken) =>
        CallAsync(Blob.Prefix, async token =>
        {
            var names = new List<string>();
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = Blob.Prefix }, token).ConfigureAwait(false))
            {
                if (Blob.Matches(item.Name))
                {
                    names.Add(item.Name);
                    if (stopAtFirst)
                    {
                        break;
                    }
                }
            }

            return names;
        }, cancellationToken);

    /// <summary>Runs one storage call, turning its failures into errors that say whether trying again can help.</summary>
    private async Task<T> CallAsync<T>(string blobName, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (Misconfigured(e, blobName) is { } problem)
        {
            throw new NonRetryableBlockException($"{_who}: {problem}", e);
        }
        catch (RequestFailedException e)
        {
            throw new IOException($"{_who}: {Display}: Azure Storage failed ({e.Status} {e.ErrorCode}); a later attempt may succeed", e);
        }
        catch (CredentialUnavailableException e)
        {
            throw new NonRetryableBlockException(
                $"{_who}: connection '{Connection}' signs in with Entra ID (account_url), but no credential is available here: "
                + "use a managed identity, sign in with az login, set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, "
                + "or give the connection a connection_string", e);
        }
    }

    private string? Misconfigured(RequestFailedException e, string blobName) => e.Status switch
    {
        404 when e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString() => NoContainer,
        404 => $"no blob at {Connection}:{Container}/{blobName}",
        401 or 403 => $"connection '{Connection}' was refused access to {Container}/{blobName} ({e.Status} {e.ErrorCode}): give its identity "
            + "the Storage Blob Data Reader role on the container (Contributor to write), or renew the key or SAS in its connection_string",
        400 => $"Azure Storage refused the request for {Container}/{blobName} ({e.ErrorCode}: {FirstLine(e.Message)}); check the container and blob names in with.path",
        _ => null,
    };

    private static string FirstLine(string text) => text.AsSpan().IndexOfAny('\r', '\n') is var end and >= 0 ? text[..end] : text;

    private static string SafeFileName(string blobName)
    {
        var name = blobName[(blobName.LastIndexOf('/') + 1)..];
        return string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(source[i]) || source[i] is '.' or '-' or '_' ? source[i] : '_';
            }
        });
    }

    private static string ContentType(string blobName) => System.IO.Path.GetExtension(blobName).ToUpperInvariant() switch
    {
        ".CSV" => "text/csv",
        ".JSON" => "application/json",
        ".JSONL" or ".NDJSON" => "application/x-ndjson",
        _ => "application/octet-stream",
    };
}
