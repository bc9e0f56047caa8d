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
        var queue = new QueueClient(connection, "floor" + Guid.NewGuid().ToString("N")[..10]);
        await queue.CreateAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < roundTrips; i++)
            {
                await queue.SendMessageAsync("x");
                var message = (await queue.ReceiveMessageAsync()).Value;
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            return clock.Elapsed / roundTrips;
        }
        finally
        {
            await queue.DeleteAsync();
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
