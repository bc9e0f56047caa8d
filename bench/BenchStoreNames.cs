namespace Duraflow.Bench;

/// <summary>The store names the command line and the results table use.</summary>
internal static class BenchStoreNames
{
    public static IReadOnlyList<BenchStore> All { get; } = [BenchStore.SqliteFull, BenchStore.SqliteNormal, BenchStore.Azurite];

    public static string Name(this BenchStore store) => store switch
    {
        BenchStore.SqliteFull => "sqlite-full",
        BenchStore.SqliteNormal => "sqlite-normal",
        _ => "azurite",
    };

    public static BenchStore Parse(string name) =>
        All.Where(s => s.Name() == name).Select(s => (BenchStore?)s).FirstOrDefault()
            ?? throw new ArgumentException($"unknown store '{name}' (sqlite-full, sqlite-normal, azurite)");

    /// <summary>The Azure connection: DURAFLOW_BENCH_AZURE, or Azurite's well-known development account.</summary>
    public static string AzureConnection => Environment.GetEnvironmentVariable("DURAFLOW_BENCH_AZURE") ?? "UseDevelopmentStorage=true";
}
