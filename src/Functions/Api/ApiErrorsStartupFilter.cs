namespace Duraflow.Functions.Api;

/// <summary>
/// Puts the API's error handling in front of everything else, the key check included, so that every error the app
/// answers is a problem+json: failures thrown while handling a request (<see cref="RequestFailureMiddleware"/>) and
/// the statuses ASP.NET answers with an empty body, such as 404 for an unknown route or 405 for a wrong method
/// (<see cref="FrameworkProblems"/>). Kestrel's own refusals before any middleware runs (414, 431) stay as they are;
/// docs/api.md lists them.
/// </summary>
internal sealed class ApiErrorsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestFailureMiddleware>();
        app.UseStatusCodePages(FrameworkProblems.WriteAsync);
        next(app);
    };
}
