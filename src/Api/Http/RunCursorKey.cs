using System.Security.Cryptography;
using System.Text;
using Duraflow.Engine.Projects;

namespace Duraflow.Api.Http;

/// <summary>
/// The key of run cursors' tags (<see cref="RunCursorText"/>), derived from the identity of the store the app lists
/// runs from: the SQLite file's full path, or the azure store's connection setting and prefix.
/// </summary>
/// <remarks>
/// Why derived and not random: a data engineer paging through runs expects the next page to load after the server
/// restarted, and in Azure successive requests reach different instances of the app, which come and go. A key made
/// at start-up would break both; a key derived from the store is the same for every instance on that store and
/// after every restart, and differs for another store, whose positions mean nothing here. It is not a secret (anyone
/// who knows the store's settings and this code can make a tag), and need not be: the tag catches cursors that were
/// typed, edited or garbled, while access is the API key's job, and a cursor only says where a listing the caller
/// may read whole anyway goes on. Keeping a real secret would need a place every instance shares, that is the
/// store, for no gain in what a cursor can reach.
/// </remarks>
internal sealed class RunCursorKey(AppProject project)
{
    private byte[]? _value;

    /// <summary>The key, derived on first use (duraflow.yaml is read then, as the engine reads it when it opens).</summary>
    public byte[] Value => _value ??= Derive(project.Unchecked());

    private static byte[] Derive(DuraflowProject project)
    {
        var settings = project.Settings;
        var identity = settings.Store == StoreKind.Sqlite
            ? $"sqlite\n{Path.GetFullPath(Path.Combine(project.Root, settings.StorePath))}"
            : $"azure\n{settings.StoreConnection}\n{settings.StorePrefix}";

        // The purpose is part of the input, so this key serves cursors only, and a new cursor format can change it.
        return SHA256.HashData(Encoding.UTF8.GetBytes($"duraflow run cursor v1\n{identity}"));
    }
}
