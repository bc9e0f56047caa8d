namespace Duraflow.Api.Http;

/// <summary>Telemetry signs in with Entra ID: as the user-assigned identity <paramref name="ClientId"/>, or by the default chain when null.</summary>
internal sealed record EntraTelemetryCredential(string? ClientId);
