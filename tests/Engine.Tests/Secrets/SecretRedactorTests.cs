using System.Text.Json;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Tests.Secrets;

public class SecretRedactorTests
{
    [Fact]
    public void Redact_Text_MasksEveryOccurrenceOfEveryRememberedValue()
    {
        var redactor = new SecretRedactor();
        redactor.Remember("s3cr3t-pass");
        redactor.Remember("token-123");

        Assert.Equal("login *** then *** and *** again", redactor.Redact("login s3cr3t-pass then token-123 and s3cr3t-pass again"));
        Assert.Equal("nothing secret here", redactor.Redact("nothing secret here"));
    }

    [Fact]
    public void Remember_ValuesShorterThanFourCharacters_AreNotRedacted()
    {
        var redactor = new SecretRedactor();
        redactor.Remember("abc");
        redactor.Remember("");
        redactor.Remember("abcd");

        Assert.Equal(1, redactor.Count);
        Assert.Equal("abc ***", redactor.Redact("abc abcd"));
    }

    [Fact]
    public void Redact_ASecretInsideALongerOne_MasksTheLongerOneWhole()
    {
        var redactor = new SecretRedactor();
        redactor.Remember("pass");
        redactor.Remember("password-1234");
        redactor.Remember("pass");

        Assert.Equal(2, redactor.Count);
        Assert.Equal("*** and ***", redactor.Redact("password-1234 and pass"));
    }

    [Fact]
    public void Redact_Json_MasksStringValuesAndPropertyNamesAndKeepsEverythingElse()
    {
        var redactor = new SecretRedactor();
        redactor.Remember("hunter22");
        using var document = JsonDocument.Parse("""
            {"url":"https://x/?key=hunter22","n":12,"ok":true,"none":null,"items":["a","hunter22",{"hunter22":"b"}]}
            """);

        var redacted = redactor.Redact(document.RootElement);

        Assert.Equal("""{"url":"https://x/?key=***","n":12,"ok":true,"none":null,"items":["a","***",{"***":"b"}]}""", redacted.GetRawText());
    }

    [Fact]
    public void Redact_JsonWithoutSecrets_ReturnsTheSameText()
    {
        var redactor = new SecretRedactor();
        redactor.Remember("hunter22");
        using var document = JsonDocument.Parse("""{ "spaced" : [1, 2.50, "x"] }""");

        Assert.Equal("""{ "spaced" : [1, 2.50, "x"] }""", redactor.Redact(document.RootElement).GetRawText());
    }

    [Fact]
    public async Task Remember_FromManyThreadsWhileRedacting_KeepsEveryValue()
    {
        var redactor = new SecretRedactor();
        var values = Enumerable.Range(0, 200).Select(i => $"secret-value-{i:D3}").ToArray();

        await Task.WhenAll(values.Select(value => Task.Run(() =>
        {
            redactor.Remember(value);
            Assert.Equal("[***]", redactor.Redact($"[{value}]"));
        })));

        Assert.Equal(200, redactor.Count);
        Assert.Equal(string.Join(",", values.Select(_ => "***")), redactor.Redact(string.Join(",", values)));
    }
}
