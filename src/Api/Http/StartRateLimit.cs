using System.Globalization;
using System.Threading.RateLimiting;
using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// How many runs one caller may start a minute through the API (<c>Duraflow:RateLimits:RunStartsPerMinute</c>, 120 by
/// default; 0 turns the limit off): a fixed window per caller (its key, token user or the configured key), counted
/// by each instance of the app on its own. Past it, a 429 problem with <c>Retry-After</c> says when to try again.
/// Backfills and schedules are not limited here: they pace their own runs.
/// </summary>
internal static class StartRateLimit
{
    /// <summary>The policy that start routes name.</summary>
    public const string Policy = "run-starts";

    /// <summary>The configuration key of the limit.</summary>
    public const string Setting = "Duraflow:RateLimits:RunStartsPerMinute";

    /// <summary>The limit when the setting is not given.</summary>
    public const int Default = 120;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Registers the policy; a setting that is not a whole number from 0 stops the app at start-up, naming it.</summary>
    public static IServiceCollection AddStartRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var text = configuration[Setting];
        var perMinute = Default;
        if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out perMinute) || perMinute > 1_000_000))
        {
            throw new InvalidOperationException($"{Setting.Replace(":", "__", StringComparison.Ordinal)} '{text}' must be a whole number of run starts a minute from 0 (no limit) to 1000000");
        }

        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context => perMinute == 0
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetFixedWindowLimiter(
                    // One bucket per principal: a key and the dashboard sessions signed in with it share theirs.
                    ApiCaller.Of(context)?.Principal ?? "anonymous",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"{CallerIdentity.Of(rejected.HttpContext)} started {perMinute} runs in the last minute, the most {Setting.Replace(":", "__", StringComparison.Ordinal)} allows; try again in {seconds} s")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }
}
