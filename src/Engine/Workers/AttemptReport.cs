using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>What a finished block attempt reports: its outcome event (a success carries the checkpoints it set) and its log lines, secrets redacted.</summary>
/// <param name="Report">BlockSucceeded, BlockFailed, BlockSkipped or BlockCancelled.</param>
/// <param name="Logs">The attempt's log lines.</param>
internal sealed record AttemptReport(RunEvent Report, IReadOnlyList<LogLine> Logs);
