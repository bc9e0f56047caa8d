namespace Duraflow.Cli;

/// <summary>Process exit codes, as the CLI table of docs/pipelines.md lists them per command.</summary>
internal static class ExitCodes
{
    /// <summary>Success: valid, or the run succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The definition is invalid, the run failed, or the command could not do its work.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: unknown command or option, missing argument, unknown pipeline.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by a second Ctrl-C: the run was left to finish later (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
