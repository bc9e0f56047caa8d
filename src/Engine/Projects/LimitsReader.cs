using System.Globalization;
using System.Text.RegularExpressions;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Projects;

/// <summary>Reads duraflow.yaml's <c>limits:</c>: <c>{ NAME: { concurrency: 2, rate: 10/1m } }</c>.</summary>
internal static partial class LimitsReader
{
    private static readonly string[] Keys = ["concurrency", "rate"];

    // The ledger of a limit keeps one entry per holder and per start in its window, about 50 characters each: bounded
    // so a full ledger stays well inside an Azure table property (32K characters).
    private const int MostConcurrency = 200;
    private const int MostStarts = 200;
    private const int MostLimits = 100;

    /// <summary>The limits, by name; a limit written wrong is reported and left out.</summary>
    public static IReadOnlyDictionary<string, LimitDefinition> Read(LoadContext context, YamlNode node)
    {
        var limits = new Dictionary<string, LimitDefinition>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            context.Error(DiagnosticCodes.WrongType, node, $"'limits' must be a map of named limits, such as {{ github_api: {{ concurrency: 2, rate: 10/1m }} }}, not {LoadContext.Describe(node)}");
            return limits;
        }

        if (map.Children.Count > MostLimits)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"'limits' names {map.Children.Count} limits; at most {MostLimits}");
            return limits;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (context.Name(keyNode, "limit name") is not { } name)
            {
                continue;
            }

            if (limits.ContainsKey(name))
            {
                context.Error(DiagnosticCodes.DuplicateName, keyNode, $"limit '{name}' is written twice; keep one");
                continue;
            }

            if (ReadOne(context, name, value) is { } limit)
            {
                limits[name] = limit;
            }
        }

        return limits;
    }

    private static LimitDefinition? ReadOne(LoadContext context, string name, YamlNode node)
    {
        var what = $"limit '{name}'";
        if (context.Map(node, what, Keys) is not { } map)
        {
            return null;
        }

        // A map with only unknown keys was reported for them already.
        if (map["concurrency"] is null && map["rate"] is null)
        {
            if (node is YamlMappingNode { Children.Count: > 0 })
            {
                return null;
            }

            context.Error(DiagnosticCodes.MissingKey, node, $"{what} sets neither 'concurrency' nor 'rate'; write for example {{ concurrency: 2 }} or {{ rate: 10/1m }}");
            return null;
        }

        var concurrency = map["concurrency"] is { } c ? context.Int(c, $"{what} 'concurrency'", min: 1, max: MostConcurrency) : null;
        var (starts, period) = map["rate"] is { } r ? ReadRate(context, r, what) : (null, null);
        return (map["concurrency"] is not null && concurrency is null) || (map["rate"] is not null && starts is null)
            ? null
            : new LimitDefinition(name, concurrency, starts, period);
    }

    // "10/1m": at most 10 takes in any minute.
    private static (int?, TimeSpan?) ReadRate(LoadContext context, YamlNode node, string what)
    {
        var text = context.String(node, $"{what} 'rate'");
        if (text is null)
        {
            return (null, null);
        }

        var match = Rate().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var starts)
            || !Duration.TryParse(match.Groups[2].Value, out var period) || period <= TimeSpan.Zero)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'rate' '{text}' is not a rate; write starts per period, such as 10/1m, 100/1h or 1/5s");
            return (null, null);
        }

        if (starts is < 1 or > MostStarts || period > TimeSpan.FromDays(1))
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'rate' '{text}' must allow 1 to {MostStarts} starts per period of at most 1d");
            return (null, null);
        }

        return (starts, period);
    }

    [GeneratedRegex(@"^(\d{1,9})\s*/\s*(\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();
}
