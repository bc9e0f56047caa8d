using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>
/// A signal sent to a run (<c>duraflow runs signal</c>, <c>POST /api/runs/{id}/signals/{name}</c>), kept in the run
/// until a <c>wait.signal</c> or <c>wait.approval</c> block of that name takes it: one signal answers one wait, the
/// oldest first, so a signal sent before its wait starts is not lost and a retried run does not read an old answer again.
/// </summary>
/// <param name="Name">The signal's name.</param>
/// <param name="Data">Its JSON data (an object), or null.</param>
/// <param name="At">When it was received.</param>
/// <param name="Key">Its idempotency key: a second signal with the same key is the same signal; null for none.</param>
/// <param name="By">Who sent it, from the caller's identity (never from the data).</param>
/// <param name="TakenBy">The block or item that took it, or null while it waits for one.</param>
internal sealed record ReceivedSignal(string Name, JsonElement? Data, DateTimeOffset At, string? Key, string By, string? TakenBy = null);
