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
        var limits = Limits(ledgers, new LimitDefinition("api", 3, null, null));

        var takes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => limits.TakeAsync(["api"], $"take-{i}", NamedLimits.FirstPoll, CancellationToken.None)));

        var held = takes.Where(t => t.Hold is not null).ToList();
        Assert.Equal(3, held.Count);
        Assert.All(takes.Where(t => t.Hold is null), t => Assert.Equal("api", t.Refused));
        await held[0].Hold!.DisposeAsync();
        var next = await limits.TakeAsync(["api"], "take-next", NamedLimits.FirstPoll, CancellationToken.None);
        Assert.NotNull(next.Hold);
        foreach (var hold in held.Skip(1).Select(h => h.Hold!).Append(next.Hold))
        {
            await hold.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_take_refused_by_a_later_limit_gives_back_the_earlier_ones_share_and_start()
    {
        var ledgers = (ILimitLedgers)Open().Store;
        var limits = Limits(ledgers, new LimitDefinition("a_rate", null, 1, TimeSpan.FromHours(1)), new LimitDefinition("b_one", 1, null, null));
        var busy = await limits.TakeAsync(["b_one"], "busy", NamedLimits.FirstPoll, CancellationToken.None);

        var refused = await limits.TakeAsync(["a_rate", "b_one"], "refused", NamedLimits.FirstPoll, CancellationToken.None);
        await busy.Hold!.DisposeAsync();
        var later = await limits.TakeAsync(["a_rate", "b_one"], "later", NamedLimits.FirstPoll, CancellationToken.None);

        Assert.Equal("b_one", refused.Refused);
        Assert.NotNull(later.Hold);
        await later.Hold.DisposeAsync();
    }

    [Fact]
    public async Task A_full_ledger_of_two_hundred_holders_and_starts_fits_in_one_row()
    {
        var ledgers = (ILimitLedgers)Open().Store;
        var limits = Limits(ledgers, new LimitDefinition("wide", 200, 200, TimeSpan.FromDays(1)));
        var holds = new List<LimitHold>();
        for (var i = 0; i < 200; i++)
        {
            holds.Add((await limits.TakeAsync(["wide"], Guid.NewGuid().ToString("N"), NamedLimits.FirstPoll, CancellationToken.None)).Hold!);
        }

        Assert.Equal("wide", (await limits.TakeAsync(["wide"], "one-more", NamedLimits.FirstPoll, CancellationToken.None)).Refused);
        foreach (var hold in holds)
        {
            await hold.DisposeAsync();
        }
    }

    private static NamedLimits Limits(ILimitLedgers ledgers, params LimitDefinition[] limits) =>
        new(ledgers, () => limits.ToDictionary(l => l.Name, StringComparer.Ordinal), TimeProvider.System, TimeSpan.FromMinutes(1));
}
