using Azure.Storage.Queues;

namespace Duraflow.Bench;

/// <summary>Whether the Azure account answers at all, asked once with a short timeout rather than the SDK's retries.</summary>
internal static class AzuriteProbe
{
    /// <summary>Null when reachable; otherwise why not.</summary>
    public static async Task<string?> ReachableAsync(string connection)
    {
        var options = new QueueClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        try
        {
            await new QueueServiceClient(connection, options).GetPropertiesAsync();
            return null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TaskCanceledException or AggregateException or TimeoutException)
        {
            return e.Message.Split('\n')[0];
        }
    }
}
