using System.Text.Json;
using Duraflow.Blocks.BuiltIns;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// The wait blocks' own work: turning <c>with:</c> (templates rendered) into the wait the engine times. The wait
/// itself, on a durable timer, is in the acceptance suite of both runtimes.
/// </summary>
public sealed class WaitBlocksTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Wait_for_renders_its_duration_and_the_engine_counts_it_from_its_own_clock()
    {
        var request = await RunAsync("wait.for", """{ "duration": "{{ params.pause }}" }""", """{ "pause": "90s" }""");

        Assert.Equal(Now.AddSeconds(90), WaitBlocks.Read("w", request, Now).Until);
    }

    [Theory]
    [InlineData("2026-12-07T06:00:00Z", "2026-12-07T06:00:00+00:00")]
    [InlineData("2026-12-07T07:00:00+01:00", "2026-12-07T06:00:00+00:00")]
    [InlineData("2026-12-07 06:00:00.250z", "2026-12-07T06:00:00.25+00:00")]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01T00:00:00+00:00")]
    public async Task Wait_until_takes_a_time_with_its_offset(string time, string expected)
    {
        var request = await RunAsync("wait.until", $$"""{ "time": "{{time}}" }""");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WaitBlocks.Read("w", request, Now).Until);
    }

    [Theory]
    [InlineData("""{ "time": "2026-12-07T06:00:00" }""", "with.time must be an ISO 8601 time with its offset")]
    [InlineData("""{ "time": "tomorrow" }""", "not 'tomorrow'")]
    [InlineData("""{ "time": "2026-13-07T06:00:00Z" }""", "with.time must be an ISO 8601 time")]
    [InlineData("""{ "time": "{{ params.missing }}" }""", "with.time")]
    public async Task Wait_until_refuses_a_time_it_cannot_place(string with, string says)
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("wait.until", with));

        Assert.Contains("block test_block (wait.until)", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_longer_than_a_year_is_refused_as_a_slipped_unit()
    {
        var tooLong = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("wait.for", """{ "duration": "400d" }"""));
        Assert.Contains("longer than 365d", tooLong.Message, StringComparison.Ordinal);

        var farAway = await RunAsync("wait.until", """{ "time": "2028-12-07T06:00:00Z" }""");
        var error = Assert.Throws<NonRetryableBlockException>(() => WaitBlocks.Read("w", farAway, Now));
        Assert.Contains("more than 365d away", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signal_wait_renders_its_name_and_carries_its_timeout_and_what_follows_it()
    {
        var request = await RunAsync("wait.approval", """{ "name": "ship-{{ params.env }}", "timeout": "2h", "on_timeout": "skip" }""", """{ "env": "prod" }""");

        Assert.Equal((Now.AddHours(2), "ship-prod", true), WaitBlocks.Read("w", request, Now));
        Assert.Equal(((DateTimeOffset?)null, "go", false), WaitBlocks.Read("w", await RunAsync("wait.signal", """{ "name": "go" }"""), Now));
    }

    [Theory]
    [InlineData("""{ "name": "{{ params.env }} now" }""", "with.name 'prod now' is not a signal name")]
    [InlineData("""{ "name": "go", "timeout": "400d" }""", "with.timeout is 400d, longer than 365d")]
    [InlineData("""{ "name": "go", "on_timeout": "wait" }""", "with.on_timeout must be one of fail, skip")]
    public async Task A_signal_wait_refuses_what_it_cannot_wait_for(string with, string says)
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("wait.signal", with, """{ "env": "prod" }"""));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    private async Task<JsonElement> RunAsync(string id, string with, string parameters = "{}")
    {
        var block = BuiltInBlocks.Find(id)!;
        var context = BlockContexts.Create(_folder.Root, parameters: parameters);
        using var document = JsonDocument.Parse(with);
        var output = await block.Run(await BlockSettings.CreateAsync(document.RootElement.Clone(), block, context), context);
        return output.AsJson();
    }
}
