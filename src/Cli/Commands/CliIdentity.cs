namespace Duraflow.Cli.Commands;

/// <summary>Who runs a command, as a signal's or a pause's <c>by</c> records it; a caller cannot choose it.</summary>
internal static class CliIdentity
{
    public static string Caller => $"cli:{Environment.UserName}@{Environment.MachineName}";
}
