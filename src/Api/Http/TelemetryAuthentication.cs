using System.Globalization;

namespace Duraflow.Api.Http;

/// <summary>
/// Parses <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>, the setting Azure uses to send telemetry with Entra ID
/// instead of the connection string's key: <c>Authorization=AAD</c> (the default credential chain) or
/// <c>Authorization=AAD;ClientId=GUID</c> (that user-assigned managed identity).
/// </summary>
internal static class TelemetryAuthentication
{
    /// <summary>The setting's expected form, for error messages.</summary>
    public const string ExpectedForm = "'Authorization=AAD' or 'ClientId=<client id of the user-assigned identity>;Authorization=AAD'";

    /// <summary>Reads <paramref name="value"/>; null or empty means Entra auth is off.</summary>
    /// <returns>null when the setting is unset, else the Entra settings (ClientId null: no user-assigned identity named).</returns>
    /// <exception cref="InvalidOperationException">The value is not of the expected form; the message names the setting.</exception>
    public static EntraTelemetryCredential? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string? authorization = null;
        Guid? clientId = null;
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals].Trim();
            var item = equals < 0 ? null : part[(equals + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && authorization is null && item is { Length: > 0 })
            {
                authorization = item;
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase) && clientId is null && Guid.TryParse(item, CultureInfo.InvariantCulture, out var id))
            {
                clientId = id;
            }
            else
            {
                // Echo the key only: a value here could be a secret pasted into the wrong setting.
                throw Malformed($"'{key}' is unknown, repeated or has no valid value");
            }
        }

        if (!string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed("it needs Authorization=AAD, the only kind Application Insights supports");
        }

        return new EntraTelemetryCredential(clientId?.ToString("D"));
    }

    private static InvalidOperationException Malformed(string why) =>
        new($"{ApiTelemetry.AuthenticationStringSetting} must be {ExpectedForm}; {why}");
}
