using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>A run store's schedule marks and pauses: both stores keep them; another store is refused by name.</summary>
internal static class ScheduleStores
{
    /// <exception cref="ArgumentException">The store keeps no schedule marks or pauses.</exception>
    public static (IScheduleMarks Marks, ISchedulePauses Pauses) Of(IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var marks = store as IScheduleMarks ?? throw new ArgumentException($"the run store {store.GetType().Name} keeps no schedule marks", nameof(store));
        var pauses = store as ISchedulePauses ?? throw new ArgumentException($"the run store {store.GetType().Name} keeps no paused schedules", nameof(store));
        return (marks, pauses);
    }
}
