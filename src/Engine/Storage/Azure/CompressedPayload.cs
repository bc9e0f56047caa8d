using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Text kept in a table entity as gzip'd binary properties <c>D0</c>, <c>D1</c>, … A binary property holds at most
/// 64 KiB and an entity 1 MiB, so a payload may use <see cref="MaxChunks"/> properties: run snapshots, the events and
/// outgoing work of one commit, and pinned plans compress 5–20× (they repeat block names and property names), so
/// thousands of blocks fit in one entity and one entity-group transaction.
/// </summary>
internal static class CompressedPayload
{
    /// <summary>Bytes per property, under the 64 KiB limit.</summary>
    public const int ChunkSize = 64_000;

    /// <summary>Properties per entity, leaving room under 1 MiB for the entity's other properties.</summary>
    public const int MaxChunks = 14;

    /// <summary>Compresses <paramref name="text"/>.</summary>
    public static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    /// <summary>Decompresses what <see cref="Compress"/> made.</summary>
    public static string Decompress(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Stores <paramref name="text"/> in <paramref name="entity"/> as properties named <paramref name="property"/>0, 1, …; fails naming <paramref name="what"/> when it does
    /// not fit, since a payload that large means the run or commit outgrew what one transaction can hold.
    /// </summary>
    public static void Write(TableEntity entity, string text, string what, string property = "D")
    {
        var data = Compress(text);
        var chunks = (data.Length + ChunkSize - 1) / ChunkSize;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException(
                $"{what} is {data.Length / 1024} KiB compressed, more than the {MaxChunks * ChunkSize / 1024} KiB one Azure table entity holds; "
                + "split the pipeline into smaller ones (or fewer fan-out items per run), or use the sqlite store");
        }

        for (var i = 0; i < chunks; i++)
        {
            entity[$"{property}{i}"] = data.AsSpan(i * ChunkSize, Math.Min(ChunkSize, data.Length - (i * ChunkSize))).ToArray();
        }
    }

    /// <summary>Whether <paramref name="entity"/> holds a payload under <paramref name="property"/>.</summary>
    public static bool Has(TableEntity entity, string property = "D") => entity.ContainsKey(property + "0");

    /// <summary>Reads what <see cref="Write"/> stored in <paramref name="entity"/>.</summary>
    public static string Read(TableEntity entity, string property = "D")
    {
        using var data = new MemoryStream();
        for (var i = 0; entity.TryGetValue($"{property}{i}", out var chunk) && chunk is byte[] bytes; i++)
        {
            data.Write(bytes);
        }

        return Decompress(data.ToArray());
    }
}
