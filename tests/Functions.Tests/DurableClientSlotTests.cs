using Duraflow.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The durable client slot: the first client offered is the one every caller gets, a caller before any offer waits for
/// it, and the functions that carry a <c>[DurableClient]</c> binding offer theirs before they do their work.
/// </summary>
public sealed class DurableClientSlotTests : IDisposable
{
    private readonly TempFolder _project = new();

    public DurableClientSlotTests()
    {
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/hello/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task GetAsync_BeforeAnyOffer_WaitsForTheFirstClient()
    {
        var slot = new DurableClientSlot();
        var first = TestDurableClient.Create("first");

        var waiting = slot.GetAsync(CancellationToken.None);
        var waitedBeforeTheOffer = !waiting.IsCompleted;
        slot.Offer(first);
        slot.Offer(TestDurableClient.Create("second"));

        Assert.True(waitedBeforeTheOffer);
        Assert.Same(first, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Same(first, await slot.GetAsync(CancellationToken.None));
        Assert.True(slot.HasClient);
    }

    [Fact]
    public async Task GetAsync_CancelledBeforeAnyOffer_Throws()
    {
        var slot = new DurableClientSlot();
        using var cancel = new CancellationTokenSource();

        var waiting = slot.GetAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(slot.HasClient);
    }

    [Fact]
    public async Task The_api_function_offers_its_client_before_the_api_answers()
    {
        await using var app = App();
        var client = TestDurableClient.Create();
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = "/api/health";
        context.Response.Body = new MemoryStream();

        await app.Function<ApiFunction>().RunAsync(context.Request, client);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Same(client, await Slot(app).GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_timer_function_offers_its_client()
    {
        await using var app = App();
        var client = TestDurableClient.Create();

        await app.Function<TriggerFunctions>().ScheduleAsync(new TimerInfo(), client, CancellationToken.None);

        Assert.Same(client, await Slot(app).GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_blob_events_function_offers_its_client_even_for_an_event_no_pipeline_wants()
    {
        await using var app = App();
        var client = TestDurableClient.Create();

        await app.Function<TriggerFunctions>().BlobEventsAsync("{\"id\":\"e1\",\"eventType\":\"Microsoft.Storage.BlobDeleted\"}", client, CancellationToken.None);

        Assert.Same(client, await Slot(app).GetAsync(CancellationToken.None));
    }

    private static DurableClientSlot Slot(FunctionsApp app) => app.Services.GetRequiredService<DurableClientSlot>();

    private FunctionsApp App() => new(_project.Root);
}
