using System.Collections.Immutable;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A mapped block's items summed up as they change: how many are in each status, which are failing, and when each
/// started. Kept beside the block's summary entry so an item's change sums the block up in logarithmic time instead
/// of visiting all its items (which made a 10,000-item map quadratic), and so the summary is exactly what a pass over
/// the items would say: a stored snapshot and a fold of the run's events agree. Not stored: a state read from a
/// store rebuilds it on the first item change, once. The sets are immutable, so copying a tally is cheap.
/// </summary>
internal sealed class ItemTally
{
    private static readonly int StatusCount = Enum.GetValues<BlockStatus>().Length;

    private readonly int[] _counts;

    private ItemTally(int[] counts, ImmutableSortedSet<int> failing, ImmutableSortedDictionary<DateTimeOffset, int> starts)
    {
        _counts = counts;
        Failing = failing;
        Starts = starts;
    }

    /// <summary>The items whose error describes them as they stand (see <see cref="HasError"/>), by index.</summary>
    public ImmutableSortedSet<int> Failing { get; private set; }

    /// <summary>The items' start times, each with how many items started then.</summary>
    public ImmutableSortedDictionary<DateTimeOffset, int> Starts { get; private set; }

    /// <summary>A tally of <paramref name="items"/> new items: all pending, none started.</summary>
    public static ItemTally AllPending(int items)
    {
        var counts = new int[StatusCount];
        counts[(int)BlockStatus.Pending] = items;
        return new ItemTally(counts, [], ImmutableSortedDictionary<DateTimeOffset, int>.Empty);
    }

    /// <summary>Sums the items up as they are now: the one full pass, for a state that has no tally yet.</summary>
    public static ItemTally Of(IReadOnlyList<BlockRunState> items)
    {
        var tally = AllPending(0);
        for (var i = 0; i < items.Count; i++)
        {
            tally._counts[(int)items[i].Status]++;
            tally.Enter(i, items[i].StartedAt, HasError(items[i]));
        }

        return tally;
    }

    /// <summary>True when the item's error describes it as it stands (failed, or waiting for its retry).</summary>
    public static bool HasError(BlockRunState item) =>
        item.Status is BlockStatus.Failed or BlockStatus.Retrying && item.Error is not null;

    /// <summary>How many items have <paramref name="status"/>.</summary>
    public int Count(BlockStatus status) => _counts[(int)status];

    /// <summary>How many items are not finished.</summary>
    public int Unfinished =>
        Count(BlockStatus.Pending) + Count(BlockStatus.Scheduled) + Count(BlockStatus.Running) + Count(BlockStatus.Retrying)
        + Count(BlockStatus.Waiting);

    /// <summary>The earliest start among the items, if any started.</summary>
    public DateTimeOffset? FirstStart => Starts.IsEmpty ? null : Starts.Keys.First();

    /// <summary>Item <paramref name="index"/> changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public void Move(int index, ItemFacts before, BlockRunState after)
    {
        _counts[(int)before.Status]--;
        _counts[(int)after.Status]++;
        Leave(index, before.StartedAt, before.HasError);
        Enter(index, after.StartedAt, HasError(after));
    }

    /// <summary>A copy whose counts change apart from these (a cloned state's summary must not move its original's).</summary>
    public ItemTally Copy() => new((int[])_counts.Clone(), Failing, Starts);

    private void Enter(int index, DateTimeOffset? started, bool failing)
    {
        if (started is { } at)
        {
            Starts = Starts.SetItem(at, Starts.GetValueOrDefault(at) + 1);
        }

        if (failing)
        {
            Failing = Failing.Add(index);
        }
    }

    private void Leave(int index, DateTimeOffset? started, bool failing)
    {
        if (started is { } at)
        {
            var left = Starts.GetValueOrDefault(at) - 1;
            Starts = left > 0 ? Starts.SetItem(at, left) : Starts.Remove(at);
        }

        if (failing)
        {
            Failing = Failing.Remove(index);
        }
    }
}

/// <summary>What the tally needs to know of an item before it changes.</summary>
internal readonly record struct ItemFacts(BlockStatus Status, DateTimeOffset? StartedAt, bool HasError)
{
    public static ItemFacts Of(BlockRunState item) => new(item.Status, item.StartedAt, ItemTally.HasError(item));
}
