using System.Globalization;

namespace Duraflow.Cli.Output;

/// <summary>Times as the CLI's tables and messages show them: the machine's local time, to the second.</summary>
internal static class LocalTimes
{
    public static string Of(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
