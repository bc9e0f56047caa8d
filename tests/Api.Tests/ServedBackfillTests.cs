using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Api.Tests;

/// <summary>
/// <c>duraflow serve</c> moves a backfill created through the API on by itself: its workers run each run and the
/// backfill pump starts the next as each ends, one at a time, until it has finished.
/// </summary>
public sealed class ServedBackfillTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ServedBackfillTests()
    {
        _project.Write("pipelines/nightly/pipeline.yaml",
            "name: nightly\ntriggers:\n  - schedule: { cron: \"0 2 * * *\", timezone: UTC }\nblocks:\n  - { name: a, uses: \"script:a.csx\" }\n");
        _project.Write("pipelines/nightly/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_served_project_finishes_a_backfill_created_through_the_api()
    {
        await using var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
        });
        using var client = factory.CreateClient();

        var created = await client.PostAsJsonAsync(new Uri("/api/pipelines/nightly/backfills", UriKind.Relative), new { from = "2026-11-01", to = "2026-11-04", concurrency = 1 });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonElement backfill;
        do
        {
            await Task.Delay(100, patience.Token);
            backfill = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/backfills/{id}", UriKind.Relative), patience.Token)).RootElement;
        }
        while (backfill.GetProperty("status").GetString() == "running");

        Assert.Equal(("finished", 3, 3), (backfill.GetProperty("status").GetString(), backfill.GetProperty("ended").GetInt32(), backfill.GetProperty("succeeded").GetInt32()));
    }
}
