using Azure;
using Azure.Identity;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Where the Azure SDK's exceptions become store exceptions. The store's interfaces (<see cref="IRunStore"/>,
/// <see cref="IWorkQueues"/>, <see cref="IScheduleMarks"/>, <see cref="IArtifactStore"/>) run every operation through
/// <see cref="Translate{T}"/>, so the engine above handles <see cref="StoreUnavailableException"/> for a storage account
/// that failed, whatever the store, and never names an Azure type.
/// </summary>
internal static class AzureFailures
{
    /// <summary>Runs <paramref name="operation"/>; a failure of the account or its credential comes out as <see cref="StoreUnavailableException"/>.</summary>
    public static async Task<T> Translate<T>(Func<Task<T>> operation, string what)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException)
        {
            throw Unavailable(e, what);
        }
    }

    /// <inheritdoc cref="Translate{T}"/>
    public static async Task Translate(Func<Task> operation, string what)
    {
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException)
        {
            throw Unavailable(e, what);
        }
    }

    private static StoreUnavailableException Unavailable(Exception e, string what)
    {
        var status = e is RequestFailedException { Status: > 0 } failed ? $" ({failed.Status} {failed.ErrorCode})" : string.Empty;
        return new StoreUnavailableException($"the azure store could not {what}{status}: {e.Message.Split('\n')[0].Trim()}", e);
    }
}
