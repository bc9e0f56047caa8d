using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Duraflow.Durable;

/// <summary>
/// The names the Durable runtime registers and addresses: the orchestrator, the activities, the cancel event, and the
/// orchestration instance of each round of a run. Renaming any of them breaks the replay of histories written before,
/// so they are fixed here and a changed orchestrator gets a new name (see <see cref="Orchestrator"/>).
/// </summary>
internal static class DurableNames
{
    /// <summary>
    /// The orchestrator. A version suffix: a change that would replay an old history differently ships as a new name
    /// beside the old one, so runs started before an upgrade finish on the code that started them.
    /// </summary>
    public const string Orchestrator = "DuraflowRunV1";

    /// <summary>The activity that runs one block attempt.</summary>
    public const string BlockActivity = "DuraflowBlockV1";

    /// <summary>The activity that records the orchestrator's decisions in the project's run store.</summary>
    public const string RecordActivity = "DuraflowRecordV1";

    /// <summary>The external event that asks a run to cancel; its payload is the reason.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>The external event that brings a run a signal; its payload is the <c>signal_received</c> event's JSON.</summary>
    public const string SignalEvent = "signal";

    /// <summary>The external event that tells a parent run that a child run ended; its payload is the <c>child_run_ended</c> event's JSON.</summary>
    public const string ChildEvent = "child";

    /// <summary>The runtime's name as the run store and the <c>runtime:</c> setting spell it.</summary>
    public const string Runtime = "durable";

    /// <summary>
    /// The orchestration instance of round <paramref name="round"/> of run <paramref name="runId"/>: the run id for the
    /// first, and <c>RUN~N</c> for the Nth retry (a retry is a new orchestration that reuses succeeded outputs).
    /// </summary>
    public static string InstanceId(string runId, int round) =>
        round == 0 ? runId : string.Create(CultureInfo.InvariantCulture, $"{runId}~{round}");

    /// <summary>
    /// The task hub of a store, when no host names one: <c>duraflow</c> and a short hash of where the runs are kept, so
    /// two projects (or two test stores) on one storage account never take each other's orchestrations, whose activities
    /// would find no such run in their own store. Azure Storage hub names are 3-45 letters and digits, from a letter.
    /// </summary>
    public static string HubFor(string storeIdentity)
    {
        ArgumentNullException.ThrowIfNull(storeIdentity);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(storeIdentity));
        return "duraflow" + Convert.ToHexStringLower(hash)[..12];
    }
}
