using Duraflow.Blocks.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Auth;

/// <summary>
/// Makes a stored key from what <c>duraflow keys create</c> and <c>POST /api/keys</c> are given, checking each field
/// the same way for both: a name not in use, a role, an optional pipeline glob, an optional workspace and an optional lifetime.
/// </summary>
internal static class KeyCreation
{
    /// <summary>The longest lifetime a key may be given.</summary>
    public static readonly TimeSpan LongestLife = TimeSpan.FromDays(3650);

    /// <summary>A field that is wrong: its name (as the API spells it) and why.</summary>
    public sealed record Refusal(string Field, string Problem);

    /// <summary>Checks the fields: the role and lifetime they name, or the first field that is wrong.</summary>
    public static (ApiRole Role, TimeSpan? Life, Refusal? Refusal) Check(string name, string role, string? pipelines, string? workspace, string? expiresIn)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(role);
        if (StoredKeys.NameProblem(name) is { } badName)
        {
            return (default, null, new Refusal("name", $"the key's name {badName}"));
        }

        if (ApiRoles.Parse(role) is not { } parsed)
        {
            return (default, null, new Refusal("role", $"'{role}' is not a role; use viewer, operator or admin"));
        }

        if (pipelines is not null && PipelineGlob.Problem(pipelines) is { } badGlob)
        {
            return (default, null, new Refusal("pipelines", $"the glob {badGlob}"));
        }

        // Any well-formed name: keys live in the default workspace's store, and a key may be made for a workspace
        // before a server serves it.
        if (workspace is not null && WorkspaceNames.Problem(workspace) is { } badWorkspace)
        {
            return (default, null, new Refusal("workspace", badWorkspace));
        }

        if (expiresIn is null)
        {
            return (parsed, null, null);
        }

        if (!Duration.TryParse(expiresIn, out var life) || life <= TimeSpan.Zero || life > LongestLife)
        {
            return (default, null, new Refusal("expires_in", $"'{expiresIn}' is not a lifetime above zero and at most 3650d; write for example 90d or 12h"));
        }

        return (parsed, life, null);
    }

    /// <summary>Stores a new key: the key and its text (shown once), or a refusal when its name is taken by a live key.</summary>
    public static async Task<(AccessKey? Key, string? Text, Refusal? Refusal)> CreateAsync(
        IAccessKeys keys, string name, ApiRole role, string? pipelines, string? workspace, TimeSpan? life, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var (stored, text) = StoredKeys.Create(name, role, pipelines, workspace, now, now + life, createdBy);
        return await keys.AddKeyAsync(stored, cancellationToken).ConfigureAwait(false)
            ? (stored, text, null)
            : (null, null, new Refusal("name", $"a key named '{name}' exists; revoke it first (duraflow keys revoke {name}) or choose another name"));
    }

    /// <summary>The store's keys, or an error naming a store that keeps none.</summary>
    public static IAccessKeys Of(IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store as IAccessKeys ?? throw new InvalidOperationException($"the run store {store.GetType().Name} keeps no API keys");
    }
}
