namespace Duraflow.Bench;

internal static class HttpLatency
{
    public static Task<ScenarioOutcome> RunAsync(int samples, TimeSpan budget) => throw new NotImplementedException();
}
