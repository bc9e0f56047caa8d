namespace Duraflow.Cli;

/// <summary>Process exit codes, as documented in the README and architecture.md §4.</summary>
internal static class ExitCodes
{
    /// <summary>Success: valid, or the run succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The definition is invalid, the run failed, or the command could not do its work.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: unknown command or option, missing argument, unknown pipeline.</summary>
    public const int Usage = 2;
}
