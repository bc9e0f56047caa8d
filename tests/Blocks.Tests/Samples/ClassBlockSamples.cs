using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

// Compiled blocks as a user writes them, in one file so the shapes can be compared side by side. The catalog tests
// find them by their full names in this test assembly.
namespace Duraflow.Blocks.Tests.Samples;

#pragma warning disable CA1822 // A block's Run is an instance method by contract, however little state it uses.
#pragma warning disable CA1873 // Plain logging calls, as block authors write them.

public sealed record Order(long OrderId, string Customer, decimal Amount);

public sealed record CustomerTotal(string Customer, decimal Total);

public sealed record Settings(string Currency, int Top);

/// <summary>A table input streamed row by row, a run parameter and the context; returns a table.</summary>
public sealed class CustomerTotals
{
    public IEnumerable<CustomerTotal> Run(IEnumerable<Order> loadOrders, decimal minAmount, BlockContext context)
    {
        context.Logger.LogInformation("totals from {MinAmount}", minAmount);
        return loadOrders
            .Where(o => o.Amount >= minAmount)
            .GroupBy(o => o.Customer)
            .Select(g => new CustomerTotal(g.Key, g.Sum(o => o.Amount)))
            .OrderBy(t => t.Customer, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>Async, with the table loaded into an array, a JSON input as a record and the attempt's token.</summary>
public sealed class AsyncSummary
{
    public async Task<object> RunAsync(Order[] loadOrders, Settings settings, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new { settings.Currency, Orders = loadOrders.Length, Top = loadOrders.OrderByDescending(o => o.Amount).Take(settings.Top).Select(o => o.OrderId) };
    }
}

public sealed class Doubles
{
    public ValueTask<int> RunAsync(int count) => ValueTask.FromResult(count * 2);
}

public sealed class RecordsCheckpoint
{
    public async Task RunAsync(BlockContext context)
    {
        await Task.Yield();
        context.SetCheckpoint("done_at", JsonSerializer.SerializeToElement("2026-11-24"));
    }
}

public sealed class SetsMetric
{
    public void Run(BlockContext context) => context.SetMetric("ran", 1);
}

public sealed class TakesTable
{
    public long Run(Table loadOrders) => loadOrders.CountRows();
}

/// <summary>C# defaults apply when the value read is null: a skipped upstream block, an unset parameter.</summary>
public sealed class UsesDefaults
{
    public string Run(int limit = 7, string? label = "none") => $"{limit} {label}";
}

public sealed class Throws
{
    public int Run() => throw new InvalidOperationException("the API said 503");
}

public sealed class ThrowsLater
{
    public async Task<int> RunAsync()
    {
        await Task.Yield();
        throw new TimeoutException("too late");
    }
}

/// <summary>Records each instance's disposal, so a test can see the instance that ran was disposed after it.</summary>
public sealed class Disposable : IDisposable
{
    public static ConcurrentDictionary<Guid, bool> Disposed { get; } = new();

    private readonly Guid _id = Guid.NewGuid();

    public Guid Run()
    {
        Disposed[_id] = false;
        return _id;
    }

    public void Dispose() => Disposed[_id] = true;
}

internal sealed class InternalBlock
{
    public int Run() => 1;
}

public abstract class AbstractBlock
{
    public int Run() => 1;
}

public static class StaticBlock
{
    public static int Run() => 1;
}

public sealed class GenericBlock<T>
{
    public T? Run() => default;
}

public sealed class NoDefaultConstructor(int seed)
{
    public int Run() => seed;
}

public sealed class NoRun
{
    public int Execute() => 1;
}

public sealed class TwoRuns
{
    public int Run() => 1;

    public Task<int> RunAsync(int count) => Task.FromResult(count);
}

public sealed class StaticRun
{
    public static int Run() => 1;
}

public sealed class GenericRun
{
    public T? Run<T>() => default;
}

public sealed class RefParameter
{
    public int Run(ref int count) => count;
}

public sealed class SameValueTwice
{
    public int Run(int orderId, int order_id) => orderId + order_id;
}

public sealed class AsyncRows
{
    public async IAsyncEnumerable<int> RunAsync()
    {
        await Task.Yield();
        yield return 1;
    }
}
