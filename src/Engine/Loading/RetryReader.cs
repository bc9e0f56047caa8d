using Duraflow.Engine.Definitions;
using Duraflow.Engine.Validation;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads a <c>retry:</c> map at pipeline or block level.</summary>
internal static class RetryReader
{
    private static readonly string[] Keys = ["attempts", "delay", "backoff", "max_delay", "jitter"];
    private static readonly string[] BackoffNames = ["fixed", "linear", "exponential"];

    public static RetrySettings? Read(LoadContext context, YamlNode node, string what)
    {
        var map = context.Map(node, what, Keys);
        if (map is null)
        {
            return null;
        }

        var delay = map["delay"] is { } d ? context.Duration(d, $"{what} 'delay'") : null;
        var maxDelay = map["max_delay"] is { } m ? context.Duration(m, $"{what} 'max_delay'") : null;
        if (delay > maxDelay)
        {
            context.Error(DiagnosticCodes.BadValue, map["max_delay"]!, $"{what} 'max_delay' ({Duration.Format(maxDelay.Value)}) is shorter than 'delay' ({Duration.Format(delay.Value)}); raise max_delay or lower delay");
        }

        var (backoff, factor) = map["backoff"] is { } b ? ReadBackoff(context, b, what) : (null, null);
        return new RetrySettings(
            map["attempts"] is { } a ? context.Int(a, $"{what} 'attempts'", min: 1) : null,
            delay,
            backoff,
            factor,
            maxDelay,
            map["jitter"] is { } j ? ReadJitter(context, j, what) : null);
    }

    // "backoff" is a kind name, or a number >= 1 that means exponential with that factor.
    private static (BackoffKind?, double?) ReadBackoff(LoadContext context, YamlNode node, string what)
    {
        var text = context.String(node, $"{what} 'backoff'");
        if (text is null)
        {
            return (null, null);
        }

        var kind = Array.IndexOf(BackoffNames, text);
        if (kind >= 0)
        {
            return ((BackoffKind)kind, null);
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var factor) && factor >= 1 && factor <= 100)
        {
            return (BackoffKind.Exponential, factor);
        }

        context.Error(DiagnosticCodes.BadValue, node, $"{what} 'backoff' '{text}' is not valid; use fixed, linear, exponential or a growth factor between 1 and 100 such as 2");
        return (null, null);
    }

    // "jitter" is true (10%), false (none) or a fraction in [0, 1].
    private static double? ReadJitter(LoadContext context, YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: var text } && bool.TryParse(text, out var enabled))
        {
            return enabled ? RetryPolicy.Default.Jitter : 0;
        }

        return context.Number(node, $"{what} 'jitter'", 0, 1);
    }
}
