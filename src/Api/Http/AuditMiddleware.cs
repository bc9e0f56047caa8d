using System.Text;
using Duraflow.Api.Auth;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// Records every call of a route that changes something (<see cref="AuditedRoutes"/>) in the audit log, after it is
/// answered: who (the caller the credential stands for), what, on what, with which parameters (secrets masked), how it
/// ended (the status, so refusals for lack of a permission are there too; <c>error: TYPE</c> when the endpoint threw)
/// and from where. It runs after the caller check, so requests without a valid credential (401s) are not recorded:
/// they have no actor. Recording never fails a request: an entry the store cannot take is logged as an error.
/// </summary>
internal sealed partial class AuditMiddleware(RequestDelegate next, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, SharedEngine sharedEngine, PipelineCatalog catalog, TimeProvider time)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedRoute>() is not { } audited || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        // Kept readable for after the endpoint has read it.
        context.Request.EnableBuffering();
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            await RecordAsync(context, audited, sharedEngine, catalog, time, $"error: {e.GetType().Name}");
            throw;
        }

        await RecordAsync(context, audited, sharedEngine, catalog, time, null);
    }

    private async Task RecordAsync(HttpContext context, AuditedRoute audited, SharedEngine sharedEngine, PipelineCatalog catalog, TimeProvider time, string? failed)
    {
        var at = time.GetUtcNow();
        var values = context.Request.RouteValues;
        var target = values.Aggregate(audited.Target, (text, value) => text.Replace("{" + value.Key + "}", value.Value?.ToString(), StringComparison.Ordinal));
        try
        {
            var (body, notRead) = await BodyAsync(context.Request);
            var plain = values["name"] is string pipeline && audited.Target.StartsWith("pipeline:", StringComparison.Ordinal) ? PlainParametersOf(catalog, pipeline) : [];
            var entry = new AuditEntry(
                AuditIds.For(at), at, CallerIdentity.Of(context), ApiCaller.Of(context)?.Kind ?? "anonymous", audited.Action, target,
                AuditMasking.Parameters(body, notRead, context.Request.Query, plain),
                failed ?? context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                context.Connection.RemoteIpAddress?.ToString());
            var engine = await sharedEngine.GetAsync(CancellationToken.None);
            if (engine.Store is IAuditLog log)
            {
                await log.AppendAuditAsync(entry, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The change is made and answered; a lost record is said loudly, and must not fail the request.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotRecorded(logger, audited.Action, target, e.Message, e);
        }
    }

    // The body as far as the endpoint read it: one it never read is not read from the client now (it could stall, or
    // end short, after the change was made), and one larger than the log keeps is described.
    private static async Task<(string? Text, string? NotRead)> BodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !request.Body.CanSeek)
        {
            return (null, null);
        }

        var read = request.Body.Position;
        if (read == 0)
        {
            return (null, request.ContentLength is > 0 ? "a body the route does not read" : null);
        }

        if (read > AuditMasking.LargestBody * 4)
        {
            return (null, $"a body of {read} bytes, over the {AuditMasking.LargestBody} characters kept");
        }

        request.Body.Position = 0;
        var buffer = new byte[read];
        await request.Body.ReadExactlyAsync(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        return text.Length > AuditMasking.LargestBody ? (null, $"a body of {text.Length} characters, over the {AuditMasking.LargestBody} kept") : (text, null);
    }

    private static HashSet<string> PlainParametersOf(PipelineCatalog catalog, string pipeline) =>
        catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == pipeline)?.Definition?.Parameters.Where(p => !p.Secret).Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal) ?? [];

    [LoggerMessage(Level = LogLevel.Error, Message = "the audit log did not record {Action} on '{Target}': {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string action, string target, string reason, Exception error);
}
