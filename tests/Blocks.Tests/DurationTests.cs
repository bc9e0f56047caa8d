using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Tests;

public class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData(" 2m5s ", 125_000)]
    public void TryParse_ValidDurations_GiveMilliseconds(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("10 s")]
    [InlineData("1.5h")]
    [InlineData("5m1h")]
    [InlineData("1s1s")]
    [InlineData("10sec")]
    [InlineData("-5s")]
    [InlineData("99999999999999999999d")]
    public void TryParse_InvalidDurations_AreRejected(string text) => Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData("500ms")]
    [InlineData("1h30m")]
    [InlineData("2d3h4m5s6ms")]
    public void Format_RoundTripsThroughTryParse(string text)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(text, Duration.Format(duration));
    }
}
