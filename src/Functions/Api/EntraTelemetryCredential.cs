namespace Duraflow.Functions.Api;

/// <summary>Telemetry signs in with Entra ID: as the user-assigned identity <paramref name="ClientId"/>, or by the default chain when null.</summary>
internal sealed record EntraTelemetryCredential(string? ClientId);
