using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads an SLA (<c>sla</c>, <c>start_sla</c>): a duration of at least a second and at most a year.</summary>
internal static class SlaReader
{
    /// <summary>The longest SLA: a timer's due time must stay a date, and an SLA of years watches nothing.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    public static TimeSpan? Read(LoadContext context, YamlNode node, string what)
    {
        if (context.Duration(node, what) is not { } sla)
        {
            return null;
        }

        if (sla < TimeSpan.FromSeconds(1) || sla > Longest)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what} must be from 1s to {Duration.Format(Longest)}, such as 30m or 2h");
            return null;
        }

        return sla;
    }
}
