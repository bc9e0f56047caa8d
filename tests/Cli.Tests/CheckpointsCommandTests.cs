using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>duraflow checkpoints list|set|reset</c> around runs of an incremental script: a watermark set by hand is where
/// the next run reads from, and a reset starts it from none.
/// </summary>
public sealed class CheckpointsCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public CheckpointsCommandTests()
    {
        _project.Write("duraflow.yaml", "");
        _project.Write("pipelines/pull/pipeline.yaml", "name: pull\nblocks:\n  - { name: read, uses: script:read.csx }\n");
        _project.Write("pipelines/pull/read.csx", """
            var since = await Checkpoint<long?>("last_id") ?? 0;
            SetCheckpoint("last_id", since + 10);
            return since;
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_checkpoint_is_listed_set_by_hand_read_by_the_next_run_and_reset()
    {
        var first = await CliRunner.RunAsync(_project.Root, "run", "pull", "--json");
        var listed = await CliRunner.RunAsync(_project.Root, "checkpoints", "list", "--pipeline", "pull");
        var set = await CliRunner.RunAsync(_project.Root, "checkpoints", "set", "--pipeline", "pull", "--name", "last_id", "--value", "500");
        var second = await CliRunner.RunAsync(_project.Root, "run", "pull", "--json");
        var json = await CliRunner.RunAsync(_project.Root, "checkpoints", "list", "--pipeline", "pull", "--json");
        var reset = await CliRunner.RunAsync(_project.Root, "checkpoints", "reset", "--pipeline", "pull");
        var third = await CliRunner.RunAsync(_project.Root, "run", "pull", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(0, Output(first));
        Assert.Matches(@"last_id\s+10\s+\d{4}-", listed.Out);
        Assert.Equal("set checkpoint last_id of pull to 500", set.OutLines[^1]);
        Assert.Equal(500, Output(second));
        using (var document = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(510, document.RootElement.GetProperty("items")[0].GetProperty("value").GetInt64());
        }

        Assert.Equal("reset 1 checkpoint(s) of pull", reset.OutLines[^1]);
        Assert.Equal(0, Output(third));
    }

    [Theory]
    [InlineData("set", "--value", "not json", "--value 'not json' is not JSON")]
    [InlineData("set", "--value", "BIG", "--value is larger than 16384 bytes")]
    [InlineData("set", "--name", "a\tb", "--name: the checkpoint name may not hold control characters")]
    [InlineData("reset", "--pipeline", "../x", "--pipeline '../x' is not a pipeline name")]
    public async Task A_bad_checkpoint_command_is_a_usage_error_that_changes_nothing(string action, string option, string value, string says)
    {
        value = value == "BIG" ? $"\"{new string('x', 17_000)}\"" : value;
        var args = new List<string> { "checkpoints", action, "--pipeline", "pull" };
        if (action == "set")
        {
            args.AddRange(["--name", "last_id", "--value", "1"]);
        }

        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = await CliRunner.RunAsync(_project.Root, [.. args]);
        var listed = await CliRunner.RunAsync(_project.Root, "checkpoints", "list", "--pipeline", "pull");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Equal("pipeline pull has no checkpoints", listed.OutLines[^1]);
    }

    private static long Output(CliRunner.Result run)
    {
        using var document = JsonDocument.Parse(run.Out);
        var read = document.RootElement.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "read");
        return read.GetProperty("output").GetProperty("value").GetInt64();
    }
}
