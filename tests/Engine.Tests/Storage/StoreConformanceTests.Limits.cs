using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Named limits' ledgers: replaced only under their version, so many takers at once never exceed the bound.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_limit_ledger_is_replaced_only_under_the_version_read()
    {
        var ledgers = (ILimitLedgers)Open().Store;

        Assert.Null(await ledgers.GetLimitLedgerAsync("api", CancellationToken.None));
        Assert.True(await ledgers.TrySetLimitLedgerAsync("api", "{\"holders\":{}}", null, CancellationToken.None));
        Assert.False(await ledgers.TrySetLimitLedgerAsync("api", "{}", null, CancellationToken.None));
        var first = (await ledgers.GetLimitLedgerAsync("api", CancellationToken.None))!.Value;
        Assert.True(await ledgers.TrySetLimitLedgerAsync("api", "{\"takes\":[]}", first.Version, CancellationToken.None));
        Assert.False(await ledgers.TrySetLimitLedgerAsync("api", "{}", first.Version, CancellationToken.None));
        Assert.Equal("{\"takes\":[]}", (await ledgers.GetLimitLedgerAsync("api", CancellationToken.None))!.Value.Ledger);
    }

    [Fact]
    public async Task Twelve_takers_at_once_get_exactly_a_limits_three_shares_and_a_share_given_back_goes_to_the_next()
    {
        var ledgers = (ILimitLedgers)Open().Store;
        var limits = new NamedLimits(ledgers, new Dictionary<string, LimitDefinition> { ["api"] = new("api", 3, null, null) }, TimeProvider.System, TimeSpan.FromMinutes(1));

        var takes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => limits.TakeAsync(["api"], $"run/b[{i}]/1", CancellationToken.None)));

        var held = takes.Where(t => t.Hold is not null).ToList();
        Assert.Equal(3, held.Count);
        Assert.All(takes.Where(t => t.Hold is null), t => Assert.Equal("api", t.Refused));
        await held[0].Hold!.DisposeAsync();
        var next = await limits.TakeAsync(["api"], "run/next/1", CancellationToken.None);
        Assert.NotNull(next.Hold);
        foreach (var hold in held.Skip(1).Select(h => h.Hold!).Append(next.Hold))
        {
            await hold.DisposeAsync();
        }
    }
}
