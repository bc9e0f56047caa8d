namespace Duraflow.Api.Auth;

/// <summary>
/// What a caller may do, each role everything the one before it may: a viewer reads pipelines, runs, logs and outputs;
/// an operator also starts, cancels, retries, signals and backfills runs and pauses schedules; an admin also manages
/// keys, the cache and checkpoints, purges runs and reads the audit log.
/// </summary>
internal enum ApiRole
{
    /// <summary>Reads.</summary>
    Viewer = 1,

    /// <summary>Reads and operates runs and schedules.</summary>
    Operator = 2,

    /// <summary>Everything.</summary>
    Admin = 3,
}

/// <summary>The roles' names, as keys, tokens and the API spell them.</summary>
internal static class ApiRoles
{
    /// <summary>Every role, least first.</summary>
    public static readonly ApiRole[] All = [ApiRole.Viewer, ApiRole.Operator, ApiRole.Admin];

    /// <summary>The Entra app role that grants a role: <c>Duraflow.Viewer</c>, <c>Duraflow.Operator</c> or <c>Duraflow.Admin</c>.</summary>
    public static string AppRole(ApiRole role) => "Duraflow." + role;

    /// <summary>The role's name in lower case: <c>viewer</c>, <c>operator</c>, <c>admin</c>.</summary>
    public static string Name(this ApiRole role) => role switch
    {
        ApiRole.Viewer => "viewer",
        ApiRole.Operator => "operator",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    /// <summary>The role named <paramref name="name"/> (<c>viewer</c>, <c>operator</c>, <c>admin</c>), or null.</summary>
    public static ApiRole? Parse(string? name) => All.Cast<ApiRole?>().FirstOrDefault(r => string.Equals(r!.Value.Name(), name, StringComparison.Ordinal));
}
