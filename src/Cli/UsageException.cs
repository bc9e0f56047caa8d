namespace Duraflow.Cli;

/// <summary>Thrown by a command when the user asked for something that cannot be (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
