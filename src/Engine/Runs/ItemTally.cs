namespace Duraflow.Engine.Runs;

/// <summary>
/// How many of a mapped block's items are in each status, kept beside its summary entry so an item's change sums the
/// block up in constant time instead of visiting all its items (which made a 10,000-item map quadratic). Not stored:
/// a state read from a store rebuilds it on the first item change, once.
/// </summary>
internal sealed class ItemTally
{
    private static readonly int StatusCount = Enum.GetValues<BlockStatus>().Length;

    private readonly int[] _counts;

    private ItemTally(int[] counts, int? latestError)
    {
        _counts = counts;
        LatestError = latestError;
    }

    /// <summary>The item that most recently failed or went into retry with an error, while it still is.</summary>
    public int? LatestError { get; set; }

    /// <summary>A tally of <paramref name="items"/> items, all pending (as a fan-out's expansion makes them).</summary>
    public static ItemTally AllPending(int items)
    {
        var counts = new int[StatusCount];
        counts[(int)BlockStatus.Pending] = items;
        return new ItemTally(counts, null);
    }

    /// <summary>Counts the items as they are now: the one full pass, for a state that has no tally yet.</summary>
    public static ItemTally Of(IReadOnlyList<BlockRunState> items)
    {
        var counts = new int[StatusCount];
        int? latestError = null;
        for (var i = 0; i < items.Count; i++)
        {
            counts[(int)items[i].Status]++;
            if (latestError is null && HasError(items[i]))
            {
                latestError = i;
            }
        }

        return new ItemTally(counts, latestError);
    }

    /// <summary>True when the item's error describes the block as it stands (failed, or waiting for its retry).</summary>
    public static bool HasError(BlockRunState item) =>
        item.Status is BlockStatus.Failed or BlockStatus.Retrying && item.Error is not null;

    /// <summary>How many items have <paramref name="status"/>.</summary>
    public int Count(BlockStatus status) => _counts[(int)status];

    /// <summary>How many items are not finished.</summary>
    public int Unfinished =>
        Count(BlockStatus.Pending) + Count(BlockStatus.Scheduled) + Count(BlockStatus.Running) + Count(BlockStatus.Retrying);

    /// <summary>One item went from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void Move(BlockStatus from, BlockStatus to)
    {
        _counts[(int)from]--;
        _counts[(int)to]++;
    }

    /// <summary>A copy whose counts change apart from these (a cloned state's summary must not move its original's).</summary>
    public ItemTally Copy() => new((int[])_counts.Clone(), LatestError);
}
