using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads a <c>retry:</c> map at pipeline or block level.</summary>
internal static class RetryReader
{
    private static readonly string[] Keys = ["attempts", "delay", "backoff", "max_delay", "jitter", "on", "not_on"];
    private static readonly string[] BackoffNames = ["fixed", "linear", "exponential"];

    // More tries than this are a typo or a loop in disguise: a block that needs them should wait with a sensor.
    private const int MaxAttempts = 100;

    // A retry timer further out than this is a typo (a unit slipped); it would also overflow a due time near the
    // calendar's end. A wait for something that slow belongs in a sensor or a schedule.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>
    /// Reads the keys written in <paramref name="node"/> and lays them over <paramref name="inherited"/>. The delay
    /// bound is checked on the result, so a block's max_delay below the pipeline's delay is caught too.
    /// </summary>
    public static RetryPolicy Read(LoadContext context, YamlNode node, string what, RetryPolicy inherited)
    {
        var map = context.Map(node, what, Keys);
        if (map is null)
        {
            return inherited;
        }

        var (backoff, factor) = map["backoff"] is { } b ? ReadBackoff(context, b, what) : (null, null);
        var (delay, delays) = map["delay"] is { } d ? ReadDelay(context, d, what) : (null, null);
        var policy = new RetrySettings(
            map["attempts"] is { } a ? context.Int(a, $"{what} 'attempts'", min: 1, max: MaxAttempts) : null,
            delay,
            backoff,
            factor,
            map["max_delay"] is { } m ? Wait(context, m, $"{what} 'max_delay'") : null,
            map["jitter"] is { } j ? ReadJitter(context, j, what) : null)
        {
            Delays = delays,
            On = map["on"] is { } on ? RetryMatchReader.Read(context, on, $"{what} 'on'") : null,
            NotOn = map["not_on"] is { } notOn ? RetryMatchReader.Read(context, notOn, $"{what} 'not_on'") : null,
        }.ApplyTo(inherited);
        if (policy.Delays is not null)
        {
            // Backoff and max_delay shape a growing wait; a list already says every wait, so either would do nothing.
            foreach (var key in new[] { "backoff", "max_delay" })
            {
                if (map[key] is { } written)
                {
                    var from = map["delay"] is null ? " (inherited from the pipeline's retry)" : "";
                    context.Error(DiagnosticCodes.BadValue, written, $"{what}: '{key}' has no effect when 'delay' is a list{from}; each retry waits the list's next value, so remove '{key}' or write 'delay' as one duration");
                }
            }
        }
        else if (policy.Delay > policy.MaxDelay)
        {
            context.Error(DiagnosticCodes.BadValue, map["max_delay"] ?? map["delay"] ?? node, $"{what}: 'max_delay' ({Duration.Format(policy.MaxDelay)}) is shorter than 'delay' ({Duration.Format(policy.Delay)}); raise max_delay or lower delay");
        }

        return policy;
    }

    // "delay" is one duration, or a list of them: retry n waits the nth, the last one repeating.
    private static (TimeSpan?, IReadOnlyList<TimeSpan>?) ReadDelay(LoadContext context, YamlNode node, string what)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return (Wait(context, node, $"{what} 'delay'"), null);
        }

        if (sequence.Children.Count == 0 || sequence.Children.Count > MaxAttempts)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'delay' lists {sequence.Children.Count} waits; list 1 to {MaxAttempts} durations, such as [2s, 5s, 15s]");
            return (null, null);
        }

        var delays = new List<TimeSpan>();
        foreach (var item in sequence.Children)
        {
            if (Wait(context, item, $"each wait of {what} 'delay'") is { } wait)
            {
                delays.Add(wait);
            }
        }

        return delays.Count == sequence.Children.Count ? (delays[0], delays) : (null, null);
    }

    private static TimeSpan? Wait(LoadContext context, YamlNode node, string what)
    {
        var wait = context.Duration(node, what);
        if (wait > MaxWait)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} {Duration.Format(wait.Value)} is longer than {Duration.Format(MaxWait)}; write a shorter wait (a unit may have slipped: 30s, not 30d)");
            return null;
        }

        return wait;
    }

    // "backoff" is a kind name, or a number >= 1 that means exponential with that factor.
    private static (BackoffKind?, double?) ReadBackoff(LoadContext context, YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: var text }
            && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var factor))
        {
            if (factor is >= 1 and <= 100)
            {
                return (BackoffKind.Exponential, factor);
            }

            context.Error(DiagnosticCodes.BadValue, node, $"{what} 'backoff' factor {text} must be between 1 and 100");
            return (null, null);
        }

        return context.Choice(node, BackoffNames, $"{what} 'backoff'") is { } kind ? ((BackoffKind)kind, null) : (null, null);
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
