using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Local mode's stand-in for Event Grid: raises a <see cref="BlobCreatedEvent"/> for every file that appears under
/// <c>FOLDER/CONTAINER/PATH</c>, once the file is complete, so blob_created triggers can be tried without Azure.
/// </summary>
/// <remarks>
/// A file counts as complete when its size and last-write time have not changed for
/// <see cref="FolderBlobEventsOptions.SettleTime"/> and it can be opened exclusively (a writer holding it open is not
/// done). Files directly in the folder are ignored: the first folder level is the container. The event id is derived
/// from the path, size and last-write time, so the scan on start after a restart raises the same ids again and the
/// dispatcher's idempotency keys start nothing twice, while a file written anew gets a new id. The account is null,
/// so triggers match on container, prefix and suffix alone.
/// </remarks>
internal sealed class FolderBlobEvents : IAsyncDisposable
{
    private readonly string _root;
    private readonly Func<BlobCreatedEvent, CancellationToken, Task> _onCreated;
    private readonly FolderBlobEventsOptions _options;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (long Size, DateTime Written, DateTime Since)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _raised = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;
    private Task? _loop;

    /// <summary>Creates a watcher; call <see cref="Start"/> to begin.</summary>
    /// <param name="folder">The folder whose subfolders are containers; created when missing.</param>
    /// <param name="onCreated">Called once per complete file, one at a time; an exception offers the file again later.</param>
    /// <param name="options">Timing and error reporting; null for the defaults.</param>
    public FolderBlobEvents(string folder, Func<BlobCreatedEvent, CancellationToken, Task> onCreated, FolderBlobEventsOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(onCreated);
        _root = Path.GetFullPath(folder);
        _onCreated = onCreated;
        _options = options ?? new FolderBlobEventsOptions();
    }

    /// <summary>Starts watching: scans what is already there, then follows changes.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The folder watcher is already started.");
        }

        Directory.CreateDirectory(_root);
        _watcher = new FileSystemWatcher(_root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite };
        _watcher.Created += (_, _) => Wake();
        _watcher.Changed += (_, _) => Wake();
        _watcher.Renamed += (_, _) => Wake();
        _watcher.Error += (_, _) => Wake();
        _watcher.EnableRaisingEvents = true;
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>The event a file raises, or null when it is not under a container folder.</summary>
    /// <param name="root">The watched folder.</param>
    /// <param name="file">The file.</param>
    public static BlobCreatedEvent? EventFor(string root, FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(file);
        var relative = Path.GetRelativePath(Path.GetFullPath(root), file.FullName).Replace(Path.DirectorySeparatorChar, '/');
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || relative.StartsWith("../", StringComparison.Ordinal) || slash == relative.Length - 1)
        {
            return null;
        }

        var written = file.LastWriteTimeUtc;
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{relative}|{file.Length}|{written.Ticks}"))))[..32];
        return new BlobCreatedEvent(
            $"file-{id}",
            null,
            relative[..slash],
            relative[(slash + 1)..],
            new Uri(file.FullName).AbsoluteUri,
            ContentTypes.Guess(file.Name),
            file.Length,
            string.Create(CultureInfo.InvariantCulture, $"\"{written.Ticks:x}-{file.Length:x}\""),
            written.Ticks.ToString("D20", CultureInfo.InvariantCulture),
            new DateTimeOffset(written, TimeSpan.Zero));
    }

    /// <summary>Stops watching and waits for an event being raised to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _watcher?.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping is how the loop ends.
            }
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        // One pending wake is enough: the scan it causes sees every change made so far.
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (ObjectDisposedException)
            {
                // A notification that arrives while stopping has nothing left to wake.
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await ScanAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // A file vanishing or changing mid-scan is normal in a drop folder; the next scan sees it as it is.
                _options.OnError?.Invoke(_root, e);
                wait = _options.SettleTime;
            }

            await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Raises the files that are complete and returns how long to wait before the next scan.</summary>
    private async Task<TimeSpan> ScanAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var next = _options.RescanInterval;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Files())
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                continue;
            }

            present.Add(path);
            var observed = (file.Length, file.LastWriteTimeUtc);
            if (!_seen.TryGetValue(path, out var seen) || (seen.Size, seen.Written) != observed)
            {
                _seen[path] = (observed.Length, observed.LastWriteTimeUtc, now);
                next = Min(next, _options.SettleTime);
                continue;
            }

            if (EventFor(_root, file) is not { } blobEvent || (_raised.TryGetValue(path, out var raisedId) && raisedId == blobEvent.Id))
            {
                continue;
            }

            var settled = now - seen.Since;
            if (settled < _options.SettleTime || !CanOpenExclusively(path))
            {
                next = Min(next, settled < _options.SettleTime ? _options.SettleTime - settled : _options.SettleTime);
                continue;
            }

            try
            {
                await _onCreated(blobEvent, cancellationToken).ConfigureAwait(false);
                _raised[path] = blobEvent.Id;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _options.OnError?.Invoke(path, e);
                next = Min(next, _options.SettleTime);
            }
        }

        foreach (var gone in _seen.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _seen.Remove(gone);
            _raised.Remove(gone);
        }

        return next;
    }

    private List<string> Files()
    {
        try
        {
            return Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static bool CanOpenExclusively(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
