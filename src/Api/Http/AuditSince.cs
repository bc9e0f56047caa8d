using Duraflow.Blocks.Text;
using Duraflow.Engine.Runs;

namespace Duraflow.Api.Http;

/// <summary>
/// The <c>since</c> of an audit query, as <c>GET /api/audit?since=</c> and <c>duraflow audit --since</c> take it: a
/// time (ISO 8601) or an age back from now, such as <c>7d</c> or <c>12h</c>.
/// </summary>
internal static class AuditSince
{
    /// <summary>What <c>since</c> may be, for errors.</summary>
    public const string Rule = "a time from 1970 on such as 2026-12-01 or 2026-12-01T06:00:00Z, or an age back from now such as 7d or 12h";

    /// <summary>The time <paramref name="text"/> names (from 1970 on: nothing is older), or false.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        if (RunListStatus.TryParseTime(text, out since))
        {
            return since >= DateTimeOffset.UnixEpoch;
        }

        if (Duration.TryParse(text, out var age) && age > TimeSpan.Zero && age <= TimeSpan.FromDays(20000))
        {
            since = now - age;
            return true;
        }

        return false;
    }
}
