using System.Security.Claims;

namespace Duraflow.Api.Auth;

/// <summary>
/// The role an Entra ID token grants through its <c>roles</c> claim: the app roles <c>Duraflow.Viewer</c>,
/// <c>Duraflow.Operator</c> and <c>Duraflow.Admin</c>, and <c>Duraflow:Auth:Entra:RequiredRole</c> (the one role
/// tokens had to carry before roles existed), which grants admin. A token listing several gets the highest.
/// </summary>
internal static class EntraRoles
{
    /// <summary>The highest role <paramref name="caller"/>'s token grants, or null when it grants none.</summary>
    public static ApiRole? Of(ClaimsPrincipal caller, EntraAuthOptions entra)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(entra);
        var listed = caller.FindAll(EntraAuthOptions.RolesClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(entra.RequiredRole) && listed.Contains(entra.RequiredRole))
        {
            return ApiRole.Admin;
        }

        return ApiRoles.All.Reverse().Cast<ApiRole?>().FirstOrDefault(r => listed.Contains(ApiRoles.AppRole(r!.Value)));
    }

    /// <summary>Why a token that grants no role is refused, naming the roles that would do.</summary>
    public static string NoRole(EntraAuthOptions entra)
    {
        ArgumentNullException.ThrowIfNull(entra);
        var names = string.Join(", ", ApiRoles.All.Select(r => $"'{ApiRoles.AppRole(r)}'"));
        var required = string.IsNullOrEmpty(entra.RequiredRole) ? "" : $", or '{entra.RequiredRole}' (Duraflow:Auth:Entra:RequiredRole, which grants admin)";
        return $"the Entra ID token grants none of this API's app roles ({names}{required}); assign one to the user or app in Entra ID";
    }
}
