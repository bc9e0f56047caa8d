using System.Text;
using System.Text.Json;
using Duraflow.Blocks.BuiltIns;

namespace Duraflow.Engine.Runs;

/// <summary>
/// The decider's part for signals and approvals: which signals a run accepts, which waiting block takes one (each
/// signal answers one wait, the oldest wait and the oldest signal first), what a taken signal makes of the block, and
/// what a timeout does. Pure, like the rest of the decider.
/// </summary>
internal static class SignalDelivery
{
    /// <summary>The most signals one run keeps untaken, with their data: each stays in the run's state, which every commit writes.</summary>
    public const int MaxSignals = 100;

    /// <summary>The most signals one run receives in all; a taken one keeps only its name, sender and key.</summary>
    public const int MaxReceived = 10_000;

    // Sizes are counted on the data as written, without escapes: the same count whichever host or runtime serialized it.
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The longest idempotency key of a signal, as for a run's.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The largest data of one signal, in UTF-8 bytes of its JSON; larger data belongs in storage, sent by its path.</summary>
    public const int MaxDataBytes = 4096;

    /// <summary>Null when the run takes <paramref name="signal"/>; otherwise why not.</summary>
    public static string? Check(RunState state, SignalReceived signal)
    {
        if (state.Status is not (RunStatus.Pending or RunStatus.Running))
        {
            return $"the run is {state.Status.ToSnakeCase()}; only a pending or running run takes signals";
        }

        if (!WaitBlocks.IsSignalName(signal.Name))
        {
            return $"'{signal.Name}' is not a signal name; use {WaitBlocks.SignalNameRule}";
        }

        if ((DataProblem(signal.Data) ?? KeyProblem(signal.SignalKey)) is { } problem)
        {
            return problem;
        }

        if (signal.SignalKey is { } key && state.Signals.Any(s => s.Key == key && s.Name == signal.Name))
        {
            return $"signal '{signal.Name}' with key '{key}' was received already; it counts once";
        }

        if (state.Signals.Count(s => s.TakenBy is null) >= MaxSignals || state.Signals.Count >= MaxReceived)
        {
            return state.Signals.Count >= MaxReceived
                ? $"the run has received {MaxReceived} signals, the most one run takes"
                : $"the run keeps {MaxSignals} signals that no block has taken yet, the most it keeps; send more once blocks take them";
        }

        // An approval waiting now must be answerable; one that starts waiting later judges the data when it takes it.
        return Waiting(state, signal.Name).FirstOrDefault() is { } taker && state.Block(taker).WaitingFor == WaitBlocks.Approval && Approval(signal.Data) is null
            ? $"block {taker} waits for approval '{signal.Name}', whose data is {{ \"approved\": true or false, \"comment\": \"...\" }}"
            : null;
    }

    /// <summary>What is wrong with a signal's data, for the hosts to refuse it before sending; null when nothing is.</summary>
    public static string? DataProblem(JsonElement? data) => data switch
    {
        null => null,
        { ValueKind: not JsonValueKind.Object } => "a signal's data is a JSON object, such as {\"approved\": true}",
        { } body when Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(body, Unescaped)) > MaxDataBytes =>
            $"the signal's data is larger than {MaxDataBytes} bytes; store large data elsewhere and send its path",
        { } body when body.TryGetProperty("by", out _) => "a signal's 'by' is who sent it, taken from the caller's identity; remove 'by' from the data",
        _ => null,
    };

    /// <summary>What is wrong with a signal's idempotency key; null when nothing is.</summary>
    public static string? KeyProblem(string? key) =>
        key is { Length: 0 or > MaxKeyLength } ? $"a signal's idempotency key is 1 to {MaxKeyLength} characters" : null;

    /// <summary>A signal arrived: the block that has waited longest for its name takes it.</summary>
    public static void Received(RunState state, SignalReceived signal, Action<RunEvent> apply)
    {
        if (Waiting(state, signal.Name).FirstOrDefault() is { } taker)
        {
            Take(state, taker, state.Signals.Count - 1, signal.At, apply);
        }
    }

    /// <summary>A block began to wait for a signal: it takes the oldest one of its name that no block took yet.</summary>
    public static void Began(RunState state, BlockWaiting waiting, Action<RunEvent> apply)
    {
        var index = state.Signals.FindIndex(s => s.Name == waiting.Signal && s.TakenBy is null);
        if (index >= 0)
        {
            Take(state, waiting.Key, index, waiting.At, apply);
        }
    }

    /// <summary>The timeout of a block's signal wait passed: it fails without retries, or is skipped.</summary>
    public static void TimedOut(RunState state, WaitTimerFired fired, Action<RunEvent> apply)
    {
        var block = state.Block(fired.Key);
        var waited = Duration.Format((block.WaitUntil ?? fired.At) - (block.WaitingSince ?? fired.At));
        var why = $"no {(block.WaitingFor == WaitBlocks.Approval ? "approval" : "signal")} '{block.Signal}' came within {waited} ({block.WaitingFor} timeout)";
        apply(block.SkipOnTimeout ? new BlockSkipped(fired.At, fired.Key, why, fired.Attempt) : new BlockFailed(fired.At, fired.Key, fired.Attempt, why, Retryable: false));
    }

    // The blocks waiting for this signal, longest waiting first (then by block, and a block's items by index).
    private static IEnumerable<string> Waiting(RunState state, string name) =>
        state.Blocks
            .Where(b => b.Value.Status == BlockStatus.Waiting && b.Value.Signal == name)
            .OrderBy(b => b.Value.WaitingSince)
            .ThenBy(b => InstanceKeys.Parse(b.Key).Block, StringComparer.Ordinal)
            .ThenBy(b => InstanceKeys.Parse(b.Key).Index ?? -1)
            .Select(b => b.Key);

    // The block takes the signal: a signal's data becomes its output; an approval's yes succeeds it, a no fails it for good.
    private static void Take(RunState state, string key, int index, DateTimeOffset at, Action<RunEvent> apply)
    {
        var block = state.Block(key);
        var (attempt, approval) = (block.Attempt, block.WaitingFor == WaitBlocks.Approval);
        var signal = state.Signals[index];
        apply(new BlockSignalled(at, key, attempt, index));
        if (!approval)
        {
            apply(new BlockSucceeded(at, key, attempt, OutputReference.Inline(signal.Data?.GetRawText() ?? "null")));
            return;
        }

        if (Approval(signal.Data) is not { } answer)
        {
            apply(new BlockFailed(at, key, attempt,
                $"approval '{signal.Name}' got data it cannot read (from {signal.By}); it needs {{ \"approved\": true or false, \"comment\": \"...\" }}", Retryable: false));
            return;
        }

        var output = JsonSerializer.Serialize(new { approved = answer.Approved, by = signal.By, comment = answer.Comment, at = signal.At }, EngineJson.Options);
        apply(answer.Approved
            ? new BlockSucceeded(at, key, attempt, OutputReference.Inline(output))
            : new BlockFailed(at, key, attempt, $"not approved by {signal.By}{(answer.Comment is { Length: > 0 } c ? $": {c}" : "")}", Retryable: false));
    }

    // An approval's data: { "approved": bool, "comment": string? }; null when it is not that.
    private static (bool Approved, string? Comment)? Approval(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("approved", out var approved) || approved.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return null;
        }

        var comment = body.TryGetProperty("comment", out var c) ? c : default;
        return comment.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String
            ? (approved.GetBoolean(), comment.ValueKind == JsonValueKind.String ? comment.GetString() : null)
            : null;
    }
}
