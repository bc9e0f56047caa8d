namespace Duraflow.Engine.Runtime;

/// <summary>
/// Idempotency keys chosen by callers (the HTTP API's <c>idempotency_key</c>), kept apart from the keys the engine
/// derives for its own triggers (<c>schedule:…</c>, <c>blob:…</c>): a caller's key is stored as
/// <c>caller:{key}</c>, so no key a caller sends can name, and so pre-empt, a schedule tick or a blob event.
/// </summary>
internal static class CallerKeys
{
    /// <summary>The prefix of every caller's key in the store; no engine-derived key starts with it.</summary>
    public const string Prefix = "caller:";

    /// <summary>The stored key for the key a caller sent, or null when none was sent.</summary>
    public static string? Of(string? callerKey) => callerKey is null ? null : Prefix + callerKey;
}
