using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads a block's <c>repeat:</c> map: <c>every</c>, <c>until</c>, <c>max</c>, <c>on_max</c>.</summary>
internal static class RepeatReader
{
    private static readonly string[] Keys = ["every", "until", "max", "on_max"];
    private static readonly string[] Ends = ["fail", "skip"];

    // Every run is an event in the run's history; more runs than this is a loop that belongs to a schedule.
    private const int MostRuns = 10_000;

    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(365);

    /// <summary>
    /// Reads <paramref name="node"/>, adding the references of <c>until</c> (a block it names becomes upstream), or
    /// returns null after reporting what is wrong.
    /// </summary>
    public static RepeatPolicy? Read(LoadContext context, YamlNode node, string what, List<DefinitionReference> references)
    {
        var map = context.Map(node, what, Keys);
        if (map is null)
        {
            return null;
        }

        var everyNode = map.Required("every", what);
        var untilNode = map.Required("until", what);
        var every = everyNode is null ? null : context.Duration(everyNode, $"{what} 'every'");
        if (every > LongestWait)
        {
            context.Error(DiagnosticCodes.BadValue, everyNode!, $"{what} 'every' {Duration.Format(every.Value)} is longer than {Duration.Format(LongestWait)}; write a shorter wait (a unit may have slipped: 30s, not 30d)");
            every = null;
        }

        var until = untilNode is null ? null : ReadUntil(context, untilNode, what, references);
        var max = map["max"] is { } m ? context.Int(m, $"{what} 'max'", min: 1, max: MostRuns) : RepeatPolicy.DefaultMax;
        var end = map["on_max"] is { } e ? context.Choice(e, Ends, $"{what} 'on_max'") : 0;
        return every is { } wait && until is not null && max is { } runs && end is { } onMax
            ? new RepeatPolicy(wait, until, runs, (GiveUp)onMax)
            : null;
    }

    // The run parses the condition after each run; what it would refuse is refused now.
    private static string? ReadUntil(LoadContext context, YamlNode node, string what, List<DefinitionReference> references)
    {
        if (context.Scalar(node, $"{what} 'until'") is not { } scalar)
        {
            return null;
        }

        var problems = context.Diagnostics.Items.Count;
        TemplateCollector.Collect(context, scalar, references, values: false, valueRoot: RepeatPolicy.OutputRoot);
        if (context.Diagnostics.Items.Count > problems)
        {
            return null;
        }

        try
        {
            WhenParser.Parse(scalar.Value ?? string.Empty, RepeatPolicy.OutputRoot);
            return scalar.Value;
        }
        catch (WhenExpressionException e)
        {
            context.Error(DiagnosticCodes.BadTemplate, scalar, $"{what} 'until': {e.Message}");
            return null;
        }
    }
}
