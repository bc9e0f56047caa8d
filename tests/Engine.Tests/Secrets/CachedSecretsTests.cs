using Duraflow.Blocks;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Tests.Secrets;

public class CachedSecretsTests
{
    private readonly ManualTime _time = new();
    private readonly SecretRedactor _redactor = new();

    [Fact]
    public async Task GetAsync_AsksProvidersInOrderAndStopsAtTheFirstThatHasTheSecret()
    {
        var first = new ScriptedProvider("first");
        var second = new ScriptedProvider("second") { Values = { ["db"] = "from-second" } };
        var third = new ScriptedProvider("third") { Values = { ["db"] = "from-third" } };
        var secrets = new CachedSecrets([first, second, third], TimeSpan.FromMinutes(5), _time, _redactor);

        Assert.Equal("from-second", await secrets.GetAsync("db", CancellationToken.None));
        Assert.Equal((1, 1, 0), (first.Calls, second.Calls, third.Calls));
        Assert.Equal("***", _redactor.Redact("from-second"));
    }

    [Fact]
    public async Task GetAsync_CachesForTheTtlThenReadsAgain()
    {
        var provider = new ScriptedProvider("p") { Values = { ["db"] = "value-1" } };
        var secrets = new CachedSecrets([provider], TimeSpan.FromSeconds(30), _time, _redactor);

        await secrets.GetAsync("db", CancellationToken.None);
        provider.Values["db"] = "value-2";
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("value-1", await secrets.GetAsync("db", CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("value-2", await secrets.GetAsync("db", CancellationToken.None));
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task GetAsync_Missing_IsNonRetryableAndNotCached()
    {
        var provider = new ScriptedProvider("the scripted store");
        var secrets = new CachedSecrets([provider], TimeSpan.FromMinutes(5), _time, _redactor);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => secrets.GetAsync("db", CancellationToken.None));
        provider.Values["db"] = "added-later";

        Assert.Equal("secret 'db' was not found; looked in: the scripted store (db)", error.Message);
        Assert.Equal("added-later", await secrets.GetAsync("db", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_ConcurrentCallers_ShareOneLookup()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = new ScriptedProvider("p") { Values = { ["db"] = "shared-value" }, Gate = gate.Task };
        var secrets = new CachedSecrets([provider], TimeSpan.FromMinutes(5), _time, _redactor);

        var callers = Enumerable.Range(0, 8).Select(_ => secrets.GetAsync("db", CancellationToken.None)).ToArray();
        gate.SetResult();

        Assert.All(await Task.WhenAll(callers), value => Assert.Equal("shared-value", value));
        Assert.Equal(1, provider.Calls);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_StopsWaitingWhileTheLookupCarriesOnForOthers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = new ScriptedProvider("p") { Values = { ["db"] = "slow-value" }, Gate = gate.Task };
        var secrets = new CachedSecrets([provider], TimeSpan.FromMinutes(5), _time, _redactor);
        using var cancel = new CancellationTokenSource();

        var cancelled = secrets.GetAsync("db", cancel.Token);
        var patient = secrets.GetAsync("db", CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetResult();

        Assert.Equal("slow-value", await patient);
    }

    /// <summary>A provider with a settable map of values that counts its lookups and can be held at a gate.</summary>
    private sealed class ScriptedProvider(string where) : ISecretProvider
    {
        public Dictionary<string, string> Values { get; } = [];

        public Task Gate { get; init; } = Task.CompletedTask;

        public int Calls { get; private set; }

        public string Where(string name) => $"{where} ({name})";

        public async Task<string?> FindAsync(string name, CancellationToken cancellationToken)
        {
            Calls++;
            await Gate;
            return Values.GetValueOrDefault(name);
        }
    }
}
