namespace Duraflow.Bench;

/// <summary>The store names the command line and the results table use.</summary>
internal static class BenchStoreNames
{
    /// <summary>The engine's stores, each measured in full by <c>bench all</c>.</summary>
    public static IReadOnlyList<BenchStore> All { get; } = [BenchStore.SqliteFull, BenchStore.SqliteNormal, BenchStore.Azurite];

    /// <summary>Every name <c>--store</c> takes: the engine's stores and the durable runtime.</summary>
    private static IReadOnlyList<BenchStore> Choices { get; } = [.. All, BenchStore.Durable];

    public static string Name(this BenchStore store) => store switch
    {
        BenchStore.SqliteFull => "sqlite-full",
        BenchStore.SqliteNormal => "sqlite-normal",
        BenchStore.Durable => "durable",
        _ => "azurite",
    };

    public static BenchStore Parse(string name) =>
        Choices.Where(s => s.Name() == name).Select(s => (BenchStore?)s).FirstOrDefault()
            ?? throw new ArgumentException($"unknown store '{name}' ({string.Join(", ", Choices.Select(Name))})");

    /// <summary>The store whose floor a row is compared with: the durable runtime's task hub is on Azurite.</summary>
    public static string FloorOf(string store) => store == BenchStore.Durable.Name() ? BenchStore.Azurite.Name() : store;

    /// <summary>The Azure connection: DURAFLOW_BENCH_AZURE, or Azurite's well-known development account.</summary>
    public static string AzureConnection => Environment.GetEnvironmentVariable("DURAFLOW_BENCH_AZURE") ?? "UseDevelopmentStorage=true";
}
