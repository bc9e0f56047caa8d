using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>API keys stored, looked up, listed and revoked, the same on every store.</summary>
public abstract partial class StoreConformanceTests
{
    private IAccessKeys Keys => (IAccessKeys)Store;

    private static AccessKey NewKey(string id, string name, DateTimeOffset created, string? pipelines = null, DateTimeOffset? expires = null, string? workspace = null) => new(
        id, name, "operator", pipelines, [1, 2, 3], [9, 8, 7, 6], created, "cli:ana", expires, null, [5, 5], workspace);

    [Fact]
    public async Task A_key_is_stored_with_its_hash_found_by_id_listed_newest_first_and_its_name_is_unique_while_it_lives()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        Assert.True(await Keys.AddKeyAsync(NewKey("k1", "ci", at, "orders*", at.AddDays(90), "sales"), CancellationToken.None));
        Assert.True(await Keys.AddKeyAsync(NewKey("k2", "it's ok/ü", at.AddMinutes(1)), CancellationToken.None));

        var taken = await Keys.AddKeyAsync(NewKey("k3", "ci", at.AddMinutes(2)), CancellationToken.None);
        var found = await Keys.GetKeyAsync("k1", CancellationToken.None);
        var listed = await Keys.ListKeysAsync(CancellationToken.None);

        Assert.False(taken);
        Assert.Null(await Keys.GetKeyAsync("k3", CancellationToken.None));
        Assert.NotNull(found);
        Assert.Equal(("ci", "operator", "orders*", "cli:ana", "sales"), (found.Name, found.Role, found.Pipelines, found.CreatedBy, found.Workspace));
        Assert.Null(listed.Single(k => k.Id == "k2").Workspace);
        Assert.Equal([9, 8, 7, 6], found.Hash);
        Assert.Equal([1, 2, 3], found.Salt);
        Assert.Equal([5, 5], found.SessionHash);
        Assert.Equal((at, at.AddDays(90), (DateTimeOffset?)null), (found.CreatedAt, found.ExpiresAt!.Value, found.RevokedAt));
        Assert.Equal(["k2", "k1"], listed.Select(k => k.Id));
        Assert.Null(await Keys.GetKeyAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_key_stays_listed_as_revoked_and_frees_its_name_and_racing_revokes_revoke_once()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        await Keys.AddKeyAsync(NewKey("k1", "ci", at, workspace: "ops"), CancellationToken.None);

        var revokes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Keys.RevokeKeyAsync("ci", at.AddHours(1), CancellationToken.None)));
        var again = await Keys.AddKeyAsync(NewKey("k2", "ci", at.AddHours(2)), CancellationToken.None);

        Assert.Single(revokes, r => r is not null);
        Assert.Equal((at.AddHours(1), "ops"), (revokes.Single(r => r is not null)!.RevokedAt, revokes.Single(r => r is not null)!.Workspace));
        Assert.Equal(at.AddHours(1), (await Keys.GetKeyAsync("k1", CancellationToken.None))!.RevokedAt);
        Assert.True(again);
        Assert.Null(await Keys.RevokeKeyAsync("nobody", at, CancellationToken.None));
        Assert.Equal([("k2", false), ("k1", true)], (await Keys.ListKeysAsync(CancellationToken.None)).Select(k => (k.Id, k.RevokedAt is not null)));
    }
}
