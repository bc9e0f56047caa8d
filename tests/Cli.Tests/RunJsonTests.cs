using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// What <c>--json</c> prints about runs is what the HTTP API answers about them, to the character, so a script can
/// switch between the two.
/// </summary>
public sealed class RunJsonTests : IDisposable
{
    private readonly TempFolder _project = new();

    public RunJsonTests()
    {
        // Typed parameters, a fan-out with its items, an output large enough to be an artifact, and a failed block.
        _project.Write("pipelines/mix/pipeline.yaml", """
            name: mix
            parameters:
              n: { type: int, default: 3 }
              day: { type: date, default: 2026-11-24 }
            blocks:
              - { name: regions, uses: "script:blocks/regions.csx", fan_out: true }
              - { name: report, uses: "script:blocks/report.csx" }
              - { name: big, uses: "script:blocks/big.csx" }
              - { name: broken, uses: "script:blocks/broken.csx" }
            """);
        _project.Write("pipelines/mix/blocks/regions.csx", "return new[] { \"north\", \"south\" };\n");
        _project.Write("pipelines/mix/blocks/report.csx", "return Input<string>(\"regions\") + \" \" + Param<int>(\"n\");\n");
        _project.Write("pipelines/mix/blocks/big.csx", "return new string('x', 4000);\n");
        _project.Write("pipelines/mix/blocks/broken.csx", "throw new NonRetryableBlockException(\"no data for \" + Param<string>(\"day\"));\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_show_and_list_print_the_runs_as_the_api_returns_them()
    {
        var run = await CliRunner.RunAsync(_project.Root, "run", "mix", "--json");
        Assert.True(run.ExitCode == 1, run.ToString());
        var runId = JsonDocument.Parse(run.Out).RootElement.GetProperty("run_id").GetString()!;
        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId, "--json");
        var list = await CliRunner.RunAsync(_project.Root, "runs", "list", "--json");

        await using var served = await ServedProject.StartAsync(_project.Root);
        var apiRun = await served.Client.GetStringAsync(new Uri($"/api/runs/{runId}", UriKind.Relative));
        var apiList = await served.Client.GetStringAsync(new Uri("/api/runs", UriKind.Relative));

        Assert.Equal(apiRun, show.Out.TrimEnd('\n'));
        Assert.Equal(apiRun, run.Out.TrimEnd('\n'));
        using var listed = JsonDocument.Parse(list.Out);
        Assert.Equal(["items"], listed.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonDocument.Parse(apiList).RootElement.GetProperty("items").GetRawText(), listed.RootElement.GetProperty("items").GetRawText());

        // The shape compared above is the API's: blocks as a list in plan order (by level), each fan-out item after its
        // block, and outputs as a value kept in the run or an artifact key.
        var blocks = JsonDocument.Parse(apiRun).RootElement.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["regions", "big", "broken", "report", "report[0]", "report[1]"], blocks.Select(b => b.GetProperty("name").GetString()));
        Assert.EndsWith(".json", blocks[1].GetProperty("output").GetProperty("artifact").GetString(), StringComparison.Ordinal);
        Assert.Contains("no data for 2026-11-24", blocks[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("north 3", blocks[4].GetProperty("output").GetProperty("value").GetString());
        Assert.Equal(3, JsonDocument.Parse(apiRun).RootElement.GetProperty("parameters").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task The_version_of_the_health_endpoint_is_the_one_duraflow_version_prints()
    {
        var version = await CliRunner.RunAsync(_project.Root, "--version");

        await using var served = await ServedProject.StartAsync(_project.Root);
        using var health = JsonDocument.Parse(await served.Client.GetStringAsync(new Uri("/api/health", UriKind.Relative)));

        Assert.Equal(0, version.ExitCode);
        Assert.Equal(version.Out.Trim(), health.RootElement.GetProperty("version").GetString());
    }
}
