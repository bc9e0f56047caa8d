using Duraflow.Api.Auth;
using Duraflow.Blocks.BuiltIns;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>POST /api/runs/{id}/signals/{name}</c>: a signal for the run's <c>wait.signal</c> and <c>wait.approval</c>
/// blocks. The body, a JSON object or nothing, is the signal's data; the <c>Idempotency-Key</c> header makes a resend
/// count once; the sender (<c>by</c>) is the caller's identity.
/// </summary>
internal static class SignalEndpoint
{
    public static async Task<IResult> HandleAsync(string id, string name, HttpContext context, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        if (!WaitBlocks.IsSignalName(name))
        {
            return ApiProblems.BadField("name", $"'{name}' is not a signal name; use {WaitBlocks.SignalNameRule}");
        }

        var key = context.Request.Headers[StartRunEndpoint.IdempotencyKeyHeader].FirstOrDefault();
        if (SignalDelivery.KeyProblem(key) is { } badKey)
        {
            return ApiProblems.BadField(StartRunEndpoint.IdempotencyKeyHeader, badKey);
        }

        var (data, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (SignalDelivery.DataProblem(data) is { } badData)
        {
            return ApiProblems.BadField(data?.TryGetProperty("by", out _) == true ? "by" : "body", badData);
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        if (await local.Store.GetRunAsync(id, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        var signal = new SendSignal(name, data, key, CallerIdentity.Of(context));
        var runtime = await (await sharedEngine.RouterAsync(cancellationToken)).RuntimeOfAsync(id, cancellationToken);
        var change = await runtime.SignalAsync(id, signal, cancellationToken);
        return change.Accepted
            ? Results.Accepted(RunLinks.Of(context, id), new { RunId = id, Signal = name, signal.By, Repeated = change.AlreadyDone, Status = change.Status.ToSnakeCase() })
            : ApiProblems.Conflict("Run did not take the signal", $"run {id}: {change.Rejection}");
    }
}
