using System.Text.Json;
using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Where a write block puts the file it wrote locally: a path on this machine (<see cref="FileLocation"/>), or a
/// blob when the block has a <c>connection</c> (<see cref="BlobLocation"/>).
/// </summary>
internal sealed class FileTarget
{
    private readonly FileLocation? _file;
    private readonly BlobLocation? _blob;

    private FileTarget(FileLocation? file, BlobLocation? blob)
    {
        _file = file;
        _blob = blob;
    }

    /// <summary>The path for logs and errors: as written, or <c>CONNECTION:CONTAINER/PATH</c> for a blob.</summary>
    public string Display => _blob?.Display ?? _file?.Display ?? "";

    /// <summary>The target's file extension without the dot, such as <c>csv</c>; empty when it has none.</summary>
    public string Extension => Path.GetExtension(_blob?.Blob.Name ?? _file?.Path ?? "").TrimStart('.');

    /// <summary>The target of the <c>path</c> and <c>connection</c> settings.</summary>
    public static async Task<FileTarget> FromAsync(BlockSettings settings, BlockContext context)
    {
        if (await BlobLocation.FromAsync(settings, context, wildcards: false).ConfigureAwait(false) is { } blob)
        {
            return new FileTarget(null, blob);
        }

        var file = FileLocation.From(settings, context);
        return file.IsGlob
            ? throw new NonRetryableBlockException($"block {context.Block}: with.path '{file.Display}': a write goes to one file, so the path cannot hold wildcards")
            : new FileTarget(file, null);
    }

    /// <summary>Puts the finished <paramref name="localFile"/> at the target, replacing what was there.</summary>
    public async Task StoreAsync(string localFile, BlockContext context)
    {
        if (_blob is not null)
        {
            await _blob.UploadAsync(localFile, context.Logger, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            _file?.Store(localFile);
        }
    }

    /// <summary>
    /// The write block's output: <c>{ "path", "rows" }</c>, plus <c>"connection"</c> for a blob, with <c>path</c>
    /// as the setting is written (<c>CONTAINER/PATH</c> for a blob) so it can feed another block's <c>path</c>.
    /// </summary>
    public JsonElement Written(long rows) => _blob is not null
        ? BlockJson.ToElement(new { path = _blob.Path, connection = _blob.Connection, rows })
        : BlockJson.ToElement(new { path = Display, rows });
}
