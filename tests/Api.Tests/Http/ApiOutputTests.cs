using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/runs/{id}/outputs/{key}</c>: previews of a run's stored outputs, tables and JSON, and what it refuses.</summary>
public sealed class ApiOutputTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiOutputTests()
    {
        _project.Write("data/orders.csv", "id,customer,amount\n" + string.Join("\n", Enumerable.Range(1, 250).Select(i => $"{i},c{i % 7},{i * 1.5}")) + "\n");
        _project.Write("pipelines/shapes/pipeline.yaml", """
            name: shapes
            blocks:
              - { name: orders, uses: csv.read, with: { path: data/orders.csv } }
              - { name: big, uses: "script:blocks/big.csx" }
              - { name: regions, uses: "script:blocks/regions.csx", fan_out: true }
              - { name: report, uses: "script:blocks/report.csx", upstream: [regions] }
              - { name: never, uses: "script:blocks/big.csx", upstream: [fails] }
              - { name: fails, uses: "script:blocks/fails.csx" }
            """);
        _project.Write("pipelines/shapes/blocks/big.csx", "return new string('x', 2 * 1024 * 1024);\n");
        _project.Write("pipelines/shapes/blocks/regions.csx", "return new[] { \"north\", \"south\" };\n");
        _project.Write("pipelines/shapes/blocks/report.csx", "return new { region = Input<string>(\"regions\"), total = 3 };\n");
        _project.Write("pipelines/shapes/blocks/fails.csx", "throw new NonRetryableBlockException(\"no\");\n");
    }

    public void Dispose() => _project.Dispose();

    private async Task<string> FinishedRunAsync()
    {
        var runId = await _project.StartAsync("shapes");
        await _project.FinishAsync(runId);
        return runId;
    }

    [Fact]
    public async Task A_table_output_shows_its_columns_row_count_and_first_rows_and_json_outputs_their_value()
    {
        var runId = await FinishedRunAsync();

        var table = await _project.GetAsync($"/api/runs/{runId}/outputs/orders?rows=5");
        var item = await _project.GetAsync($"/api/runs/{runId}/outputs/{Uri.EscapeDataString("report[1]")}");
        var big = await _project.GetAsync($"/api/runs/{runId}/outputs/big");

        Assert.Equal(("table", 250, 5), (table.GetProperty("kind").GetString(), table.GetProperty("row_count").GetInt64(), table.GetProperty("rows_shown").GetInt32()));
        Assert.Equal(["id", "customer", "amount"], table.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("BIGINT", table.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal("c1", table.GetProperty("rows")[0].GetProperty("customer").GetString());
        Assert.Equal(5, table.GetProperty("rows").GetArrayLength());

        Assert.Equal("json", item.GetProperty("kind").GetString());
        Assert.Equal("south", item.GetProperty("value").GetProperty("region").GetString());
        Assert.False(item.GetProperty("truncated").GetBoolean());

        Assert.True(big.GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, big.GetProperty("value").ValueKind);
        Assert.True(big.GetProperty("bytes").GetInt64() > 2 * 1024 * 1024);
        Assert.Equal(64 * 1024, big.GetProperty("head").GetString()!.Length);
    }

    [Theory]
    [InlineData("nope", "orders", null, HttpStatusCode.NotFound, "there is no run 'nope'")]
    [InlineData(null, "ordrs", null, HttpStatusCode.NotFound, "did you mean 'orders'?")]
    [InlineData(null, "report", null, HttpStatusCode.NotFound, "each item has its own output: report[0] to report[1]")]
    [InlineData(null, "never", null, HttpStatusCode.NotFound, "has no output: it is upstream_failed")]
    [InlineData(null, "fails", null, HttpStatusCode.NotFound, "has no output: it is failed")]
    [InlineData(null, "orders", "1001", HttpStatusCode.BadRequest, "'rows'")]
    [InlineData(null, "orders", "-1", HttpStatusCode.BadRequest, "'rows'")]
    [InlineData(null, "orders", "ten", HttpStatusCode.BadRequest, "'rows'")]
    public async Task A_preview_of_no_stored_output_is_refused_saying_why(string? run, string key, string? rows, HttpStatusCode status, string says)
    {
        var runId = run ?? await FinishedRunAsync();

        var response = await _project.Client.GetAsync(new Uri($"/api/runs/{runId}/outputs/{Uri.EscapeDataString(key)}{(rows is null ? "" : $"?rows={rows}")}", UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(response, status);
        Assert.Contains(says, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_whose_artifact_is_gone_is_a_404_not_a_failure()
    {
        var runId = await FinishedRunAsync();
        var local = await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var stored = (await local.Store.GetRunAsync(runId, CancellationToken.None))!.State;
        File.Delete(await local.Committer.Artifacts.GetLocalPathAsync(stored.Block("orders").Output!, CancellationToken.None));

        var response = await _project.Client.GetAsync(new Uri($"/api/runs/{runId}/outputs/orders", UriKind.Relative));

        Assert.Contains("no longer stored", (await ApiTestProject.ProblemAsync(response, HttpStatusCode.NotFound)).GetRawText(), StringComparison.Ordinal);
    }
}
