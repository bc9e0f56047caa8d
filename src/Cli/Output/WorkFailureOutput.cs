using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Output;

/// <summary>
/// How <c>run</c> and <c>worker</c> show a failure outside block code (a storage error, a message nobody can read):
/// it ends in a redelivery, so one line says so; with <c>DURAFLOW_DEBUG=1</c> the exception follows whole, as the
/// last line of defence shows a crash.
/// </summary>
internal static class WorkFailureOutput
{
    public static void Print(WorkFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Console.Error.WriteLine($"worker: {(failure.Work is { } work ? work.Key + ": " : string.Empty)}{failure.Error.Message} (it is delivered again)");
        if (Environment.GetEnvironmentVariable("DURAFLOW_DEBUG") == "1")
        {
            Console.Error.WriteLine(failure.Error.ToString());
        }
    }
}
