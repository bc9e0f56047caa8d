using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Duraflow.Engine.Runs;

/// <summary>
/// What <see cref="BlockRunState.Output"/> and <see cref="BlockSucceeded.Output"/> hold: the key of an artifact
/// (<c>runs/RUN/BLOCK/attempt-N.json</c> or <c>.parquet</c>), or a small JSON output itself after
/// <see cref="InlinePrefix"/>. Inline outputs live in the run's events and snapshot, so writing and reading them costs
/// no artifact transaction; artifact keys always start with <c>runs/</c>, so the two forms never collide.
/// </summary>
internal static class OutputReference
{
    /// <summary>Marks an inline JSON output: <c>json:{"rows":3}</c>.</summary>
    public const string InlinePrefix = "json:";

    /// <summary>The largest JSON output (UTF-8 bytes, after secrets are masked) kept inline; larger ones are artifacts.</summary>
    /// <remarks>Small enough that a run of many blocks keeps a snapshot that stays cheap to read and write.</remarks>
    public const int MaxInlineBytes = 1024;

    /// <summary>True when <paramref name="json"/> is small enough to keep inline.</summary>
    public static bool FitsInline(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Encoding.UTF8.GetByteCount(json) <= MaxInlineBytes;
    }

    /// <summary>The reference that holds <paramref name="json"/> itself.</summary>
    public static string Inline(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return InlinePrefix + json;
    }

    /// <summary>True, with the JSON text, when <paramref name="reference"/> holds its output inline; false for an artifact key.</summary>
    public static bool TryGetInlineJson(string reference, [NotNullWhen(true)] out string? json)
    {
        ArgumentNullException.ThrowIfNull(reference);
        json = reference.StartsWith(InlinePrefix, StringComparison.Ordinal) ? reference[InlinePrefix.Length..] : null;
        return json is not null;
    }
}
