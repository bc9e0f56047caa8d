using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Durable waits: <c>wait.for</c> a duration, <c>wait.until</c> a time, <c>wait.signal</c> for a named signal sent to
/// the run, <c>wait.approval</c> for a person's yes or no. Their code only works out what to wait for, as a small JSON
/// request (<see cref="WaitRequest"/>); the engine holds the block as <c>waiting</c> on a durable timer or for the
/// signal (a queue message's due time or a Durable timer, an external event), holding no worker and surviving
/// restarts, however long the wait.
/// </summary>
internal static partial class WaitBlocks
{
    /// <summary>The longest wait: further out is a typo (a unit slipped), and belongs to a schedule.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>The ids of the wait blocks.</summary>
    public const string For = "wait.for";

    /// <inheritdoc cref="For"/>
    public const string Until = "wait.until";

    /// <inheritdoc cref="For"/>
    public const string Signal = "wait.signal";

    /// <inheritdoc cref="For"/>
    public const string Approval = "wait.approval";

    /// <summary>The longest signal name: it is part of a URL and of the run's record.</summary>
    public const int MaxSignalName = 100;

    private static readonly string[] TimeoutEnds = ["fail", "skip"];

    public static IEnumerable<BuiltInBlock> All =>
    [
        new(For, "Wait for a duration, holding no worker; the output is the time the wait ended, { until }",
            [new("duration", ConfigKind.Duration, "How long, such as 90s, 15m or 2h (up to 365d); templates allowed", Required: true)],
            (settings, _) => Task.FromResult(Request(new WaitRequest(Seconds: ForDuration(settings).TotalSeconds)))),
        new(Until, "Wait until a time, holding no worker; a time already past ends the wait at once; the output is { until }",
            [new("time", ConfigKind.Text, "An ISO 8601 time with its offset, such as 2026-12-07T06:00:00Z; templates allowed", Required: true)],
            (settings, _) => Task.FromResult(Request(new WaitRequest(Until: UntilTime(settings))))),
        new(Signal, "Wait, holding no worker, for a signal sent to the run (duraflow runs signal, POST /api/runs/{id}/signals/{name}); the output is the signal's JSON data",
            SignalFields("The signal's name: letters, digits, _ . : - (up to 100); templates allowed"),
            (settings, _) => Task.FromResult(Request(SignalRequest(settings)))),
        new(Approval, "Wait, holding no worker, for a person to approve or reject (a signal whose data is { approved, comment }); rejected fails the block without retries; the output is { approved, by, comment }",
            SignalFields("The approval's name, the signal that answers it; templates allowed"),
            (settings, _) => Task.FromResult(Request(SignalRequest(settings)))),
    ];

    /// <summary>True for the id of a wait block.</summary>
    public static bool IsWait(string builtInId) => builtInId is For or Until or Signal or Approval;

    /// <summary>True for a name a signal may have; the same rule in the block, the CLI and the API.</summary>
    public static bool IsSignalName(string name) => name.Length is > 0 and <= MaxSignalName && SignalName().IsMatch(name);

    /// <summary>What a signal's name may hold, for error messages.</summary>
    public const string SignalNameRule = "1 to 100 letters, digits, '_', '.', ':' or '-'";

    /// <summary>
    /// The wait a wait block's <paramref name="output"/> asks for, with its end counted from <paramref name="now"/>,
    /// the engine's clock when the block reports.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">A time further out than <see cref="MaxWait"/>.</exception>
    public static (DateTimeOffset? Until, string? Signal, bool SkipOnTimeout) Read(string block, JsonElement output, DateTimeOffset now)
    {
        var request = output.Deserialize<WaitRequest>(BlockJson.Options) ?? throw new InvalidOperationException($"block {block}: a wait block returned no request");
        DateTimeOffset? until = request switch
        {
            { Seconds: { } seconds } => now + TimeSpan.FromSeconds(seconds),
            { Until: { } time } when time - now > MaxWait =>
                throw new NonRetryableBlockException($"block {block} (wait.until): {time:O} is more than {Duration.Format(MaxWait)} away; wait for a nearer time, or start the run with a schedule"),
            { Until: { } time } => time,
            _ => null,
        };
        return (until, request.Signal, request.OnTimeout == "skip");
    }

    private static BlockValue Request(WaitRequest request) => BlockValue.Of(JsonSerializer.SerializeToElement(request, BlockJson.Options));

    private static ConfigField[] SignalFields(string name) =>
    [
        new("name", ConfigKind.Text, name, Required: true),
        new("timeout", ConfigKind.Duration, "How long to wait (up to 365d); then on_timeout says what follows. Without it the block waits until the run ends"),
        new("on_timeout", ConfigKind.Choice, "fail (without retries) or skip, once timeout has passed", Default: "fail", Choices: TimeoutEnds),
    ];

    private static WaitRequest SignalRequest(BlockSettings settings)
    {
        var name = settings.RequiredText("name");
        if (!IsSignalName(name))
        {
            throw settings.Problem("name", $"'{name}' is not a signal name; use {SignalNameRule}");
        }

        var timeout = settings.Duration("timeout");
        if (timeout > MaxWait)
        {
            throw settings.Problem("timeout", $"is {Duration.Format(timeout.Value)}, longer than {Duration.Format(MaxWait)}; write a shorter wait (a unit may have slipped: 30s, not 30d)");
        }

        return new WaitRequest(Seconds: timeout?.TotalSeconds, Signal: name, OnTimeout: settings.Choice("on_timeout"));
    }

    private static TimeSpan ForDuration(BlockSettings settings)
    {
        var duration = settings.Duration("duration") ?? throw settings.Problem("duration", "needs a value");
        return duration <= MaxWait
            ? duration
            : throw settings.Problem("duration", $"is {Duration.Format(duration)}, longer than {Duration.Format(MaxWait)}; write a shorter wait (a unit may have slipped: 30s, not 30d)");
    }

    // An offset is required: a time without one would mean whatever zone the worker runs in.
    private static DateTimeOffset UntilTime(BlockSettings settings)
    {
        var text = settings.RequiredText("time").Trim();
        return OffsetTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw settings.Problem("time", $"must be an ISO 8601 time with its offset, such as 2026-12-07T06:00:00Z or 2026-12-07T07:00:00+01:00, not '{text}'");
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OffsetTime();

    [GeneratedRegex(@"^[A-Za-z0-9_.:\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SignalName();
}
