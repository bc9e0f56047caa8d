using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Workers;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Small JSON outputs live in the run's events and snapshot; large ones and tables are artifacts.</summary>
public sealed class InlineOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_small_output_is_inline_a_large_one_an_artifact_and_a_downstream_block_reads_both()
    {
        var large = new string('x', 2000);
        using var steps = new StepEngine((block, context) => Task.FromResult<object?>(block.Name switch
        {
            "small" => new { n = 1 },
            "large" => new { text = large },
            _ => new { small = context.Inputs["small"].Json.GetProperty("n").GetInt32(), large = context.Inputs["large"].Json.GetProperty("text").GetString() == large },
        }), time: new ManualTime());

        var runId = await steps.StartAsync(Of(Block("small"), Block("large"), Block("both", "small", "large")));
        var final = await steps.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal("""json:{"n":1}""", final.Block("small").Output);
        Assert.Equal($"runs/{runId}/large/attempt-1.json", final.Block("large").Output);
        Assert.Equal("""json:{"small":1,"large":true}""", final.Block("both").Output);
        Assert.Equal("""json:{"n":1}""", (await steps.EventsAsync(runId)).OfType<BlockSucceeded>().Single(s => s.Key == "small").Output);

        // Only the large output touched the artifact store: one write, and one read by its reader.
        Assert.Equal(1, steps.Artifacts.Writes);
        Assert.Equal(1, steps.Artifacts.Reads);
        Assert.False(await steps.Artifacts.ExistsAsync($"runs/{runId}/small/attempt-1.json", CancellationToken.None));
        Assert.Equal($$"""{"text":"{{large}}"}""", await StoredOutputs.TextAsync(steps.Artifacts, final.Block("large").Output!));
    }

    [Fact]
    public async Task Items_of_a_mapped_block_read_their_fan_out_list_once_not_once_each()
    {
        // Forty 50-character strings: over the inline limit, so the list is an artifact each item would read again.
        var words = Enumerable.Range(0, 40).Select(i => $"{i:D2}{new string('w', 48)}").ToArray();
        using var steps = new StepEngine((block, context) => Task.FromResult<object?>(block.Name switch
        {
            "list" => words,
            _ => context.Inputs["list"].Json.GetString()![..2],
        }), time: new ManualTime());

        var runId = await steps.StartAsync(Of(Block("list") with { FanOut = true }, Block("each", "list") with { MappedOver = "list" }));
        var final = await steps.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal($"runs/{runId}/list/attempt-1.json", final.Block("list").Output);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal($"json:\"{i:D2}\"", final.Block($"each[{i}]").Output));
        Assert.Equal(1, steps.Artifacts.Reads);
    }

    [Theory]
    [InlineData(1022, 'x', true)] // 1,024 bytes with its quotes: the largest inline output
    [InlineData(1023, 'x', false)]
    [InlineData(511, 'é', true)] // two bytes each in UTF-8: 1,024 bytes
    [InlineData(600, 'é', false)] // 602 characters, but 1,202 bytes
    public async Task The_limit_is_1024_bytes_of_UTF_8(int length, char fill, bool inline)
    {
        var artifacts = new CountingArtifacts(new LocalArtifactStore(_folder.Root));
        var text = new string(fill, length);
        using var json = JsonDocument.Parse($"\"{text}\""); // unescaped, as a block may return it

        var reference = await BlockOutputs.StoreAsync(artifacts, "r", "a", 1, BlockValue.Of(json.RootElement), null);

        Assert.Equal(inline, OutputReference.TryGetInlineJson(reference, out _));
        Assert.Equal(inline ? 0 : 1, artifacts.Writes);
        Assert.Equal(text, (await ReadAsync(artifacts, reference)).GetString());
    }

    [Fact]
    public async Task An_output_is_measured_after_its_secrets_are_masked_and_the_inline_copy_has_none()
    {
        var secret = new string('s', 3000);
        var redactor = new SecretRedactor();
        redactor.Remember(secret);
        var artifacts = new CountingArtifacts(new LocalArtifactStore(_folder.Root));

        var reference = await BlockOutputs.StoreAsync(
            artifacts, "r", "a", 1, BlockValue.Of(JsonSerializer.SerializeToElement(new { header = "Bearer " + secret })), redactor);

        Assert.Equal("""json:{"header":"Bearer ***"}""", reference);
        Assert.Equal(0, artifacts.Writes);
    }

    [Fact]
    public async Task Tables_stay_artifacts_however_small()
    {
        var artifacts = new CountingArtifacts(new LocalArtifactStore(_folder.Root));
        var table = BlockValue.FromResult(new[] { new { id = 1 } }, "a", _folder.PathOf("work"), false, CancellationToken.None);

        var reference = await BlockOutputs.StoreAsync(artifacts, "r", "a", 1, table, null);

        Assert.Equal("runs/r/a/attempt-1.parquet", reference);
        Assert.Equal(1, artifacts.Writes);
        Assert.Equal("""[{"id":1}]""", (await ReadAsync(artifacts, reference)).GetRawText());
    }

    [Fact]
    public async Task An_output_stored_as_an_artifact_by_an_older_version_still_reads()
    {
        var artifacts = new CountingArtifacts(new LocalArtifactStore(_folder.Root));
        await artifacts.WriteAsync("runs/old/a/attempt-1.json", """{"n":7}"""u8.ToArray(), CancellationToken.None);

        var value = await ReadAsync(artifacts, "runs/old/a/attempt-1.json");

        Assert.Equal(7, value.GetProperty("n").GetInt32());
        Assert.Equal(1, artifacts.Reads);
    }

    // The output as the block "b" reading "a" receives it.
    private static async Task<JsonElement> ReadAsync(IArtifactStore artifacts, string reference)
    {
        var plan = Of(Block("a"), Block("b", "a"));
        var state = Started(plan);
        state = Accept(plan, state, new BlockStarted(T0, "a", 1, "w")).State;
        state = Accept(plan, state, new BlockSucceeded(T0, "a", 1, reference)).State;
        var inputs = await BlockInputs.ReadAsync(artifacts, new FanOutLists(), plan, state, plan.Block("b"), null, CancellationToken.None);
        return inputs["a"].AsJson();
    }
}
