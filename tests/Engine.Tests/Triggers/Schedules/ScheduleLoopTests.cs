using System.Threading.Channels;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>The local loop: a check at start, then one at each boundary of the manual clock, surviving a failed check, until stopped.</summary>
public sealed class ScheduleLoopTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly SqliteStore _store;
    private readonly ManualTime _clock = new();
    private readonly SemaphoreSlim _armed = new(0);
    private readonly Channel<(ScheduleTickReport? Report, Exception? Error)> _checks = Channel.CreateUnbounded<(ScheduleTickReport?, Exception?)>();

    public ScheduleLoopTests()
    {
        _store = SqliteStore.Open(_folder.PathOf("store.db"));
        _clock.TimerSet += () => _armed.Release();
    }

    public void Dispose()
    {
        _store.Dispose();
        _armed.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_loop_checks_at_start_then_on_each_minute_boundary_and_stops_when_asked()
    {
        _clock.Advance(TimeSpan.FromSeconds(20));
        using var stopping = new CancellationTokenSource();
        var loop = ScheduleLoop.RunAsync(Ticker(() => new ProjectValidation([], [])), _clock, stopping.Token, checkedSchedules: r => _checks.Writer.TryWrite((r, null)));

        Assert.Equal(At(6, 0, 20), (await NextCheckAsync()).Report!.At);
        Assert.True(await _armed.WaitAsync(Patience));
        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.False(_checks.Reader.TryRead(out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(At(6, 1, 0), (await NextCheckAsync()).Report!.At);
        Assert.True(await _armed.WaitAsync(Patience));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(At(6, 2, 0), (await NextCheckAsync()).Report!.At);

        Assert.True(await _armed.WaitAsync(Patience));
        await stopping.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_failed_check_is_reported_and_the_next_boundary_checks_again()
    {
        var calls = 0;
        using var stopping = new CancellationTokenSource();
        var ticker = Ticker(() => ++calls == 1 ? throw new IOException("project folder unreadable") : new ProjectValidation([], []));
        var loop = ScheduleLoop.RunAsync(
            ticker, _clock, stopping.Token, TimeSpan.FromSeconds(15), r => _checks.Writer.TryWrite((r, null)), e => _checks.Writer.TryWrite((null, e)));

        Assert.IsType<IOException>((await NextCheckAsync()).Error);
        Assert.True(await _armed.WaitAsync(Patience));
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(At(6, 0, 15), (await NextCheckAsync()).Report!.At);

        Assert.True(await _armed.WaitAsync(Patience));
        await stopping.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Theory]
    [InlineData("2026-11-24T06:00:00Z", 60, "2026-11-24T06:01:00Z")]
    [InlineData("2026-11-24T06:00:59.999Z", 60, "2026-11-24T06:01:00Z")]
    [InlineData("2026-11-24T06:00:07Z", 15, "2026-11-24T06:00:15Z")]
    [InlineData("2026-11-24T06:59:50Z", 15, "2026-11-24T07:00:00Z")]
    public void The_next_boundary_is_the_next_multiple_of_the_interval(string now, int seconds, string expected)
    {
        Assert.Equal(
            DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            ScheduleLoop.NextBoundary(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(seconds)));
    }

    private ScheduleTicker Ticker(Func<ProjectValidation> project) =>
        ScheduleTicker.ForStore(new RunCommitter(_store, _store, new LocalArtifactStore(_folder.PathOf("artifacts")), time: _clock).Starter(), _store, project, "UTC");

    private async Task<(ScheduleTickReport? Report, Exception? Error)> NextCheckAsync() =>
        await _checks.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 11, 24, hour, minute, second, TimeSpan.Zero);
}
