namespace Duraflow.Api.Auth;

/// <summary>
/// What a route needs of its caller. Each route declares one (<see cref="RoutePermissions.Requires"/>), and
/// <see cref="PermissionMiddleware"/> refuses a caller whose role does not grant it with a 403 that names it.
/// </summary>
internal enum ApiPermission
{
    /// <summary>Read pipelines, runs, logs, outputs, schedules, backfills, the cache and checkpoints.</summary>
    Read = 1,

    /// <summary>Start, cancel, retry and signal runs, run backfills, pause and resume schedules.</summary>
    Operate = 2,

    /// <summary>Manage keys, clear the cache, change checkpoints, purge runs, read the audit log.</summary>
    Administer = 3,
}

/// <summary>Names and grants of the permissions.</summary>
internal static class ApiPermissions
{
    /// <summary>The permission's name: <c>read</c>, <c>operate</c>, <c>administer</c>.</summary>
    public static string Name(this ApiPermission permission) => permission switch
    {
        ApiPermission.Read => "read",
        ApiPermission.Operate => "operate",
        ApiPermission.Administer => "administer",
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "not a permission"),
    };

    /// <summary>The least role that grants <paramref name="permission"/>; every role above it grants it too.</summary>
    public static ApiRole LeastRole(this ApiPermission permission) => (ApiRole)(int)permission;

    /// <summary>True when <paramref name="role"/> grants <paramref name="permission"/>.</summary>
    public static bool Grants(this ApiRole role, ApiPermission permission) => role >= permission.LeastRole();

    /// <summary>The permissions <paramref name="role"/> grants, by name (what the session endpoint tells the dashboard).</summary>
    public static string[] GrantedBy(ApiRole role) =>
        [.. new[] { ApiPermission.Read, ApiPermission.Operate, ApiPermission.Administer }.Where(p => role.Grants(p)).Select(p => p.Name())];
}
