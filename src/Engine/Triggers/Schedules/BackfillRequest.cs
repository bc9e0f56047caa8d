using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>What <c>duraflow backfill</c> and <c>POST /api/pipelines/{name}/backfills</c> ask for.</summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="From">The first moment covered, included: a date and time in the schedule's zone unless it has an offset.</param>
/// <param name="To">The end, excluded, written the same way.</param>
/// <param name="Schedule">Which of the pipeline's schedule triggers, from 1; needed when it has several.</param>
/// <param name="Concurrency">How many of its runs may go at once; at most the pipeline's <c>concurrency</c>.</param>
/// <param name="Parameters">Parameter values for every run; the rest get their defaults.</param>
/// <param name="By">Who asks.</param>
internal sealed record BackfillRequest(
    string Pipeline, string From, string To, int? Schedule, int? Concurrency, IReadOnlyDictionary<string, ParameterInput> Parameters, string By);
