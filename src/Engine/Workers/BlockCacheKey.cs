using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Makes a block attempt's cache key: the SHA-256 of what decides its output, by the parts its policy names
/// (<see cref="CacheParts"/>), plus its rendered <c>key</c> template. Content, not location: an input is hashed by its
/// bytes (a table by its Parquet files), so an output that moved or was copied keys the same.
/// </summary>
internal static partial class BlockCacheKey
{
    // Raised when what goes into a key changes meaning, so that no entry made by an older rule is read by a newer one.
    private const string Version = "duraflow cache 1";

    /// <summary>The hex key of attempt <paramref name="context"/> of <paramref name="block"/>.</summary>
    /// <param name="plan">The run's pinned plan.</param>
    /// <param name="block">The block, whose <see cref="BlockPlan.Cache"/> is set.</param>
    /// <param name="context">The attempt's context, with its inputs read.</param>
    /// <param name="codeIdentity">What the executor says identifies the block's code beyond its text (<see cref="IBlockExecutor.CodeIdentity"/>).</param>
    public static async Task<string> ComputeAsync(RunPlan plan, BlockPlan block, BlockContext context, string? codeIdentity)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(context);
        var policy = block.Cache ?? throw new ArgumentException($"block {block.Name} is not cached", nameof(block));
        var parts = policy.EffectiveParts;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, Version);
        Add(hash, plan.Pipeline);
        Add(hash, block.Name);

        // Whether the output is a list whose items run the next blocks decides how it is read back, whatever the policy.
        Add(hash, $"fan_out={block.FanOut} mapped_over={block.MappedOver}");

        // An item of a block run per fan-out item is told from the others by its own item, whatever the policy: without
        // it every item would share the entry the last one stored.
        if (block.MappedOver is { } fanOut && context.ItemIndex is not null && context.Inputs.TryGetValue(fanOut, out var item))
        {
            Add(hash, "item");
            await AddContentAsync(hash, item, context.CancellationToken).ConfigureAwait(false);
        }

        var file = block.Uses.IsFile && plan.Files.TryGetValue(block.Uses.Target, out var text) ? text : null;
        if (parts.Contains(CacheParts.Code))
        {
            Add(hash, CacheParts.Code);
            Add(hash, block.Uses.ToString());
            Add(hash, file);
            Add(hash, codeIdentity);
            foreach (var helper in LoadedFiles(plan, block, file, context.ProjectRoot))
            {
                Add(hash, helper);
            }
        }

        var templates = Templates(block, file).ToList();
        if (parts.Contains(CacheParts.Settings))
        {
            Add(hash, CacheParts.Settings);
            Add(hash, block.With?.GetRawText());
            AddTemplateValues(hash, context, templates.Where(t => t.Root is not (TemplateRoots.Blocks or "secrets" or TemplateRoots.Checkpoint)));
        }

        if (parts.Contains(CacheParts.Params))
        {
            Add(hash, CacheParts.Params);
            var (named, readsAll) = ParametersRead(block, file, templates);
            foreach (var name in readsAll ? [.. context.Parameters.Keys.Order(StringComparer.Ordinal)] : named)
            {
                Add(hash, name);
                Add(hash, context.Parameters.TryGetValue(name, out var value) ? value.GetRawText() : null);
            }

            // A compiled block reads its context as it likes, the trigger's values (a schedule's tick) included; which
            // backfill started the run is not part of what it computes from.
            if (block.Uses.Kind == BlockKind.Class)
            {
                foreach (var (name, value) in context.Trigger.Where(t => t.Key != "backfill_id").OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    Add(hash, $"trigger.{name}");
                    Add(hash, value.GetRawText());
                }
            }
        }

        if (parts.Contains(CacheParts.Inputs))
        {
            Add(hash, CacheParts.Inputs);
            foreach (var (name, input) in context.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                Add(hash, name);
                await AddContentAsync(hash, input, context.CancellationToken).ConfigureAwait(false);
            }
        }

        if (policy.Key is { } key)
        {
            // Rendered like a setting: secrets are read, and their values only ever leave this process hashed.
            var values = await TemplateValues.ForAsync(context, [key]).ConfigureAwait(false);
            Add(hash, "key");
            Add(hash, TemplateRenderer.RenderText(key, values.Resolve));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Every template the block's definition holds: its settings, its SQL file's text.
    private static IEnumerable<TemplateReference> Templates(BlockPlan block, string? file)
    {
        var texts = new List<string>();
        if (block.With is { } with)
        {
            texts.Add(with.GetRawText());
        }

        if (block.Uses.Kind == BlockKind.Sql && file is not null)
        {
            texts.Add(file);
        }

        return texts.SelectMany(t => TemplateScanner.Scan(t, values: false).References)
            .DistinctBy(r => r.Path, StringComparer.Ordinal)
            .OrderBy(r => r.Path, StringComparer.Ordinal);
    }

    // The parameters the block can read, known before it runs: those its templates name, and for a script its literal
    // Param("x") calls. A script that reads a parameter by a computed name, or a compiled block (whose method
    // parameters and context may read any), depends on them all.
    private static (IReadOnlyCollection<string> Named, bool ReadsAll) ParametersRead(BlockPlan block, string? file, List<TemplateReference> templates)
    {
        var names = new SortedSet<string>(templates.Where(t => t.Root == TemplateRoots.Params).Select(t => t.Name), StringComparer.Ordinal);
        var readsAll = block.Uses.Kind == BlockKind.Class;
        if (block.Uses.Kind == BlockKind.Script && file is not null)
        {
            foreach (Match call in ParamCall().Matches(file))
            {
                if (call.Groups["name"].Success)
                {
                    names.Add(call.Groups["name"].Value);
                }
                else
                {
                    readsAll = true;
                }
            }

            readsAll |= file.Contains("Parameters", StringComparison.Ordinal) || ScriptLoads.Any(file);
        }

        return (names, readsAll);
    }

    private static void AddTemplateValues(IncrementalHash hash, BlockContext context, IEnumerable<TemplateReference> references)
    {
        var values = TemplateValues.WithoutSecrets(context);
        foreach (var reference in references)
        {
            Add(hash, reference.Path);
            Add(hash, values.Resolve(reference.Path)?.GetRawText());
        }
    }

    private static async Task AddContentAsync(IncrementalHash hash, BlockValue input, CancellationToken cancellationToken)
    {
        if (input.Table is not { } table)
        {
            Add(hash, "json");
            Add(hash, input.Json.GetRawText());
            return;
        }

        Add(hash, "table");
        foreach (var path in table.Files)
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                using var fileHash = SHA256.Create();
                Add(hash, Convert.ToHexStringLower(await fileHash.ComputeHashAsync(stream, cancellationToken).ConfigureAwait(false)));
            }
        }
    }

    // Length-prefixed, so that ("ab", "c") and ("a", "bc") never hash alike; null differs from empty.
    private static void Add(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            hash.AppendData([0xFF, 0xFF, 0xFF, 0xFF]);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        hash.AppendData(BitConverter.GetBytes(bytes.Length));
        hash.AppendData(bytes);
    }

    // The text of the files a script's #load directives bring in, so that editing a helper recomputes the scripts
    // that load it.
    private static IEnumerable<string?> LoadedFiles(RunPlan plan, BlockPlan block, string? script, string projectRoot)
    {
        if (block.Uses.Kind != BlockKind.Script || script is null)
        {
            yield break;
        }

        foreach (var (written, _, text) in ScriptLoads.Of(script, Path.Combine(projectRoot, "pipelines", plan.Pipeline, block.Uses.Target), projectRoot))
        {
            yield return written;
            yield return text;
        }
    }

    // Param<T>("name") with a literal name; any other Param<T>( call matches without the name group.
    [GeneratedRegex("""\bParam\s*<[^>()]*(?:<[^>()]*>)?[^>()]*>\s*\(\s*(?:"(?<name>[^"\\]*)"\s*\))?""")]
    private static partial Regex ParamCall();
}
