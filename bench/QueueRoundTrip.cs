using System.Diagnostics;
using Azure.Storage.Queues;

namespace Duraflow.Bench;

/// <summary>
/// The least any queue-driven step can cost on Azure Storage: one message put, received and deleted, one at a time,
/// on a fresh queue.
/// </summary>
internal static class QueueRoundTrip
{
    /// <summary>The mean time of one round trip over <paramref name="roundTrips"/>.</summary>
    public static async Task<TimeSpan> MeasureAsync(string connection, int roundTrips)
    {
        var (put, receive, delete) = await MeasureEachAsync(connection, roundTrips, waiting: 0);
        return put + receive + delete;
    }

    /// <summary>
    /// The mean time of each of put, receive and delete over <paramref name="roundTrips"/>, with <paramref name="waiting"/>
    /// visible messages put on the queue first, as a fan-out's N blocks wait there (the receives then get those).
    /// Azurite keeps every message of the account in one collection and scans it for a receive, delete or update, so
    /// these grow with the messages waiting; Azure Storage's do not.
    /// </summary>
    public static async Task<(TimeSpan Put, TimeSpan Receive, TimeSpan Delete)> MeasureEachAsync(string connection, int roundTrips, int waiting)
    {
        var queue = new QueueClient(connection, "floor" + Guid.NewGuid().ToString("N")[..10]);
        await queue.CreateAsync();
        try
        {
            // 16 at a time: one at a time, 10,000 messages would take longer than the measurement.
            await Parallel.ForAsync(0, waiting, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) => await queue.SendMessageAsync("w", ct));
            TimeSpan put = default, receive = default, delete = default;
            for (var i = 0; i < roundTrips; i++)
            {
                var clock = Stopwatch.StartNew();
                await queue.SendMessageAsync("x");
                put += clock.Elapsed;
                clock.Restart();
                var message = (await queue.ReceiveMessageAsync()).Value;
                receive += clock.Elapsed;
                clock.Restart();
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                delete += clock.Elapsed;
            }

            return (put / roundTrips, receive / roundTrips, delete / roundTrips);
        }
        finally
        {
            await queue.DeleteAsync();
        }
    }

    /// <summary>Prints the round trip, and each of its requests, with each number of messages in <paramref name="waiting"/> waiting.</summary>
    public static async Task PrintByWaitingAsync(string connection, int roundTrips, IEnumerable<int> waiting)
    {
        foreach (var n in waiting)
        {
            var (put, receive, delete) = await MeasureEachAsync(connection, roundTrips, n);
            var all = put + receive + delete;
            Console.WriteLine(FormattableString.Invariant(
                $"{n,7:N0} messages waiting: round trip {all.TotalMilliseconds:F1} ms ({1000 / all.TotalMilliseconds:F0}/s): put {put.TotalMilliseconds:F1}, receive {receive.TotalMilliseconds:F1}, delete {delete.TotalMilliseconds:F1} ms (mean of {roundTrips:N0})"));
        }
    }

    public static async Task<ScenarioOutcome> OutcomeAsync(string connection, int roundTrips)
    {
        var each = await MeasureAsync(connection, roundTrips);
        return new ScenarioOutcome
        {
            Scenario = "floor: one queue round trip",
            Store = BenchStore.Azurite.Name(),
            Size = OutcomeText.Invariant($"{roundTrips:N0} round trips"),
            Value = 1000 / each.TotalMilliseconds,
            Unit = "round trips/s",
            ElapsedSeconds = each.TotalSeconds * roundTrips,
            MsPerBlock = each.TotalMilliseconds,
        };
    }
}
