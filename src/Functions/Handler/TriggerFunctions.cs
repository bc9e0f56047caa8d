using Duraflow.Api.Triggers;

namespace Duraflow.Functions.Handler;

/// <summary>The <c>schedule</c> timer function and the <c>blobevents</c> queue function: parse the invocation, hand it on.</summary>
internal static class TriggerFunctions
{
    /// <summary>
    /// A timer invocation: <c>Data.timer</c> is <c>{ "Schedule": {...}, "ScheduleStatus": { "Last", "Next",
    /// "LastUpdated" }, "IsPastDue": bool }</c>. The tick's time is this app's clock, not the status: the evaluator
    /// catches up from its own record of the last tick, which the host's monitor does not know.
    /// </summary>
    public static async Task<IResult> ScheduleAsync(HttpRequest request, IScheduleTick schedules, TimeProvider time, CancellationToken cancellationToken)
    {
        bool isPastDue;
        try
        {
            var invocation = await InvocationRequest.ReadAsync(request, cancellationToken);
            var timer = TriggerValue.Object(invocation.Binding(FunctionNames.TimerBinding));
            isPastDue = InvocationRequest.Find(timer, "IsPastDue") is { ValueKind: System.Text.Json.JsonValueKind.True };
        }
        catch (InvalidInvocationException e)
        {
            return InvocationResponse.Failed(StatusCodes.Status400BadRequest, [], $"{FunctionNames.Schedule}: malformed invocation: {e.Message}");
        }

        var now = time.GetUtcNow();
        return await RunAsync(FunctionNames.Schedule, $"tick at {now:O}{(isPastDue ? " (past due)" : string.Empty)}", () => schedules.TickAsync(now, isPastDue, cancellationToken));
    }

    /// <summary>A blob-events queue invocation: <c>Data.message</c> is one Event Grid or CloudEvents event.</summary>
    public static async Task<IResult> BlobEventsAsync(HttpRequest request, IBlobEventSink sink, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            var invocation = await InvocationRequest.ReadAsync(request, cancellationToken);
            text = TriggerValue.MessageText(invocation.Binding(FunctionNames.QueueBinding));
        }
        catch (InvalidInvocationException e)
        {
            return InvocationResponse.Failed(StatusCodes.Status400BadRequest, [], $"{FunctionNames.BlobEvents}: malformed invocation: {e.Message}");
        }

        return await RunAsync(FunctionNames.BlobEvents, "event handled", () => sink.HandleAsync(text, cancellationToken));
    }

    private static async Task<IResult> RunAsync(string function, string done, Func<Task> handle)
    {
        try
        {
            await handle();
            return InvocationResponse.Ok([$"{function}: {done}"]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return InvocationResponse.Failed(StatusCodes.Status500InternalServerError, [], $"{function}: {e.GetType().Name}: {e.Message}");
        }
    }
}
