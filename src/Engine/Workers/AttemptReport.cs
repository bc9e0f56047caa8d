using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>What a finished block attempt reports: its outcome event, its log lines and its checkpoint updates, secrets redacted.</summary>
/// <param name="Report">BlockSucceeded, BlockFailed, BlockSkipped or BlockCancelled.</param>
/// <param name="Logs">The attempt's log lines.</param>
/// <param name="Checkpoints">Checkpoint values the block set; stored only with a success.</param>
internal sealed record AttemptReport(RunEvent Report, IReadOnlyList<LogLine> Logs, IReadOnlyDictionary<string, JsonElement> Checkpoints);
