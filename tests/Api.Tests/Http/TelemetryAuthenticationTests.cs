using Duraflow.Api.Http;

namespace Duraflow.Api.Tests.Http;

public sealed class TelemetryAuthenticationTests
{
    [Theory]
    [InlineData(null, false, null)]
    [InlineData("", false, null)]
    [InlineData("Authorization=AAD", true, null)]
    [InlineData("authorization=aad;", true, null)]
    [InlineData("ClientId=3F2504E0-4F89-11D3-9A0C-0305E82C3301;Authorization=AAD", true, "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(" Authorization = AAD ; ClientId = 3f2504e0-4f89-11d3-9a0c-0305e82c3301 ", true, "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public void Parse_ReadsTheAuthorizationAndClientId(string? value, bool entra, string? clientId)
    {
        var parsed = TelemetryAuthentication.Parse(value);

        Assert.Equal(entra, parsed is not null);
        Assert.Equal(clientId, parsed?.ClientId);
    }

    [Theory]
    [InlineData("ClientId=3f2504e0-4f89-11d3-9a0c-0305e82c3301", "it needs Authorization=AAD")]
    [InlineData("Authorization=Key", "it needs Authorization=AAD")]
    [InlineData("Authorization=AAD;ClientId=not-a-guid", "'ClientId' is unknown, repeated or has no valid value")]
    [InlineData("Authorization=AAD;Secret=hunter2", "'Secret' is unknown")]
    [InlineData("Authorization=AAD;Authorization=AAD", "'Authorization' is unknown, repeated")]
    [InlineData("AAD", "'AAD' is unknown")]
    public void Parse_Malformed_NamesTheSettingAndTheExpectedForm(string value, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TelemetryAuthentication.Parse(value));

        Assert.StartsWith("APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be 'Authorization=AAD' or 'ClientId=<client id of the user-assigned identity>;Authorization=AAD'; ", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
