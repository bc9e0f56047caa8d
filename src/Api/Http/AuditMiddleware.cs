using System.Text;
using Duraflow.Api.Auth;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// Records every call of a route that changes something (<see cref="AuditedRoutes"/>) in the audit log, after it is
/// answered: who (the caller the credential stands for), what, on what, with which parameters (secrets masked), how it
/// ended (the status, so refusals for lack of a permission are there too) and from where. It runs after the caller
/// check, so requests without a valid credential (401s) are not recorded: they have no actor.
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
        finally
        {
            await RecordAsync(context, audited, sharedEngine, catalog, time);
        }
    }

    private async Task RecordAsync(HttpContext context, AuditedRoute audited, SharedEngine sharedEngine, PipelineCatalog catalog, TimeProvider time)
    {
        var at = time.GetUtcNow();
        var values = context.Request.RouteValues;
        var target = values.Aggregate(audited.Target, (text, value) => text.Replace("{" + value.Key + "}", value.Value?.ToString(), StringComparison.Ordinal));
        var caller = ApiCaller.Of(context);
        try
        {
            var (body, size) = await BodyAsync(context.Request);
            var secret = values["name"] is string pipeline && audited.Target.StartsWith("pipeline:", StringComparison.Ordinal) ? SecretParametersOf(catalog, pipeline) : [];
            var entry = new AuditEntry(
                AuditIds.For(at), at, CallerIdentity.Of(context), caller?.Kind ?? "anonymous", audited.Action, target,
                AuditMasking.Parameters(body, size, context.Request.Query, secret), context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                context.Connection.RemoteIpAddress?.ToString());
            var engine = await sharedEngine.GetAsync(CancellationToken.None);
            if (engine.Store is IAuditLog log)
            {
                await log.AppendAuditAsync(entry, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException or InvalidOperationException)
        {
            // The change is made and answered; what is lost is its record, which is said loudly.
            LogNotRecorded(logger, audited.Action, target, e.Message, e);
        }
    }

    // The body as text when it is small enough to keep, and its size in characters (at least; a larger one is not read to its end).
    private static async Task<(string? Text, long Size)> BodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !request.Body.CanSeek)
        {
            return (null, 0);
        }

        request.Body.Position = 0;
        var buffer = new char[AuditMasking.LargestBody + 1];
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var read = await reader.ReadBlockAsync(buffer);
        return read > AuditMasking.LargestBody ? (null, Math.Max(read, request.ContentLength ?? 0)) : (new string(buffer, 0, read), read);
    }

    private static HashSet<string> SecretParametersOf(PipelineCatalog catalog, string pipeline) =>
        catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == pipeline)?.Definition?.Parameters.Where(p => p.Secret).Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal) ?? [];

    [LoggerMessage(Level = LogLevel.Error, Message = "the audit log did not record {Action} on '{Target}': {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string action, string target, string reason, Exception error);
}
