using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duraflow.Api.Triggers;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>The custom-handler contract without storage: request shapes, replies, and the timer and blob-event functions.</summary>
public sealed class HandlerContractTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly RecordingTriggers _triggers = new();

    public HandlerContractTests()
    {
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/p/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("orchestration", "not json")]
    [InlineData("blocks", "{\"Metadata\":{}}")]
    [InlineData("blocks", "{\"Data\":{\"message\":\"x\"},\"Metadata\":{\"Id\":\"1\"}}")]
    [InlineData("schedule", "{\"Data\":{}}")]
    [InlineData("schedule", "{\"Data\":{\"timer\":42}}")]
    [InlineData("blobevents", "[1,2]")]
    public async Task Invocation_Malformed_Is400WithWhy(string function, string body)
    {
        using var factory = Factory();
        using var client = factory.CreateClient();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("/" + function, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{function}: malformed invocation", Assert.Single(await HandlerInvocations.LogsAsync(response)), StringComparison.Ordinal);
        Assert.Empty(_triggers.Ticks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Schedule_TimerInvocation_TicksOnceWithPastDueAndRepliesInHostShape(bool isPastDue)
    {
        using var factory = Factory();
        using var client = factory.CreateClient();

        var response = await HandlerInvocations.PostAsync(client, "schedule", HandlerInvocations.Timer(isPastDue));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("schedule: tick at ", Assert.Single(await HandlerInvocations.LogsAsync(response)), StringComparison.Ordinal);
        var tick = Assert.Single(_triggers.Ticks);
        Assert.Equal(isPastDue, tick.IsPastDue);
        Assert.InRange(tick.Now, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Schedule_TimerValueSentAsQuotedJsonText_IsUnwrapped()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var body = HandlerInvocations.Timer(isPastDue: true);
        body["Data"]!["timer"] = body["Data"]!["timer"]!.ToJsonString();

        var response = await HandlerInvocations.PostAsync(client, "schedule", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_triggers.Ticks).IsPastDue);
    }

    [Fact]
    public async Task Schedule_TickThatThrows_Is500SoTheFailureIsVisible()
    {
        _triggers.Fail = true;
        using var factory = Factory();
        using var client = factory.CreateClient();

        var response = await HandlerInvocations.PostAsync(client, "schedule", HandlerInvocations.Timer(false));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("schedule: InvalidOperationException: store down", Assert.Single(await HandlerInvocations.LogsAsync(response)));
    }

    [Theory]
    [InlineData("quoted")]
    [InlineData("base64")]
    [InlineData("object")]
    public async Task BlobEvents_EventJson_ReachesTheSinkUnwrapped(string form)
    {
        const string Event = "{\"id\":\"e1\",\"eventType\":\"Microsoft.Storage.BlobCreated\",\"subject\":\"/blobServices/default/containers/landing/blobs/a.csv\"}";
        JsonNode value = form switch
        {
            "quoted" => JsonSerializer.Serialize(Event),
            "base64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(Event)),
            _ => JsonNode.Parse(Event)!,
        };
        using var factory = Factory();
        using var client = factory.CreateClient();

        var response = await HandlerInvocations.PostAsync(client, "blobevents", new JsonObject { ["Data"] = new JsonObject { ["Message"] = value } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonNode.Parse(Event)!.ToJsonString(), JsonNode.Parse(Assert.Single(_triggers.Events))!.ToJsonString());
    }

    [Theory]
    [InlineData("orchestration")]
    [InlineData("blocks")]
    public async Task QueueFunctions_OnTheSqliteStore_Are500SayingTheyNeedAzure(string function)
    {
        using var factory = Factory();
        using var client = factory.CreateClient();

        var response = await HandlerInvocations.PostAsync(
            client, function, HandlerInvocations.Queue("{\"r\":\"x\",\"k\":\"x/start/0\",\"b\":\"{}\"}", "id-1", "pop-1", 1, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("need the azure store", Assert.Single(await HandlerInvocations.LogsAsync(response)), StringComparison.Ordinal);
    }

    // The contract alone: the real schedule and blob-event handlers (tested in TriggerWiringTests) are replaced by a recorder.
    private WebApplicationFactory<Program> Factory() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<IScheduleTick>(_triggers);
                s.AddSingleton<IBlobEventSink>(_triggers);
            });
        });

    private sealed class RecordingTriggers : IScheduleTick, IBlobEventSink
    {
        public List<(DateTimeOffset Now, bool IsPastDue)> Ticks { get; } = [];

        public List<string> Events { get; } = [];

        public bool Fail { get; set; }

        public Task TickAsync(DateTimeOffset now, bool isPastDue, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("store down");
            }

            Ticks.Add((now, isPastDue));
            return Task.CompletedTask;
        }

        public Task HandleAsync(string messageText, CancellationToken cancellationToken)
        {
            Events.Add(messageText);
            return Task.CompletedTask;
        }
    }
}
