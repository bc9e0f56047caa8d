using System.CommandLine;
using System.Text.Json;
using Duraflow.Blocks.BuiltIns;
using Duraflow.Cli.Output;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow runs signal RUN NAME [--data JSON] [--key KEY]</c>: sends a signal to a run, for its <c>wait.signal</c>
/// and <c>wait.approval</c> blocks. The sender is the user running the command, recorded as the signal's <c>by</c>.
/// </summary>
internal static class RunsSignalCommand
{
    // The same bound as the API's bodies, so a signal that one host takes the other takes too.
    private static readonly JsonDocumentOptions DataOptions = new() { MaxDepth = 64 };

    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = RunsCommand.RunId();
        var name = new Argument<string>("NAME") { Description = $"The signal's name, as the block's with.name says it: {WaitBlocks.SignalNameRule}" };
        var data = new Option<string?>("--data")
        {
            Description = $"The signal's data, a JSON object (up to {SignalDelivery.MaxDataBytes} bytes); an approval's is {{\"approved\": true, \"comment\": \"...\"}}",
        };
        var key = new Option<string?>("--key") { Description = "An idempotency key: sending the same key again counts once" };
        var command = new Command("signal", "Send a signal to a run's wait.signal or wait.approval blocks; one signal answers one wait, and a signal sent early is kept")
        {
            id, name, data, key,
        };
        command.SetAction((result, _) => RunsCommand.WithHostAsync(project, profile, store, result, async local =>
        {
            var runId = result.GetValue(id)!;
            var signalName = result.GetValue(name)!;
            if (!WaitBlocks.IsSignalName(signalName))
            {
                throw new UsageException($"'{signalName}' is not a signal name; use {WaitBlocks.SignalNameRule}");
            }

            if (SignalDelivery.KeyProblem(result.GetValue(key)) is { } badKey)
            {
                throw new UsageException($"--key: {badKey}");
            }

            var sent = ReadData(result.GetValue(data));
            if (SignalDelivery.DataProblem(sent) is { } badData)
            {
                throw new UsageException($"--data: {badData}");
            }

            var signal = new SendSignal(signalName, sent, result.GetValue(key), CliIdentity.Caller);
            var runtime = await local.Router.RuntimeOfAsync(runId, CancellationToken.None).ConfigureAwait(false);
            var change = await runtime.SignalAsync(runId, signal, CancellationToken.None).ConfigureAwait(false);
            if (!change.Accepted)
            {
                terminal.Error($"run {runId} did not take signal '{signalName}': {change.Rejection}");
                return ExitCodes.Failed;
            }

            await CliAudit.RecordAsync(local.Engine.Store, "run.signal", $"run:{runId}/signal:{signalName}", new { Data = sent, signal.Key }).ConfigureAwait(false);

            terminal.Line(change.AlreadyDone
                ? $"run {runId} had signal '{signalName}' with key '{signal.Key}' already; it counts once"
                : $"run {runId} received signal '{signalName}' from {signal.By}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static JsonElement? ReadData(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, DataOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--data is not JSON: {e.Message}");
        }
    }
}
