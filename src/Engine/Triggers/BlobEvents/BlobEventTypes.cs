namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>The event types the blob trigger reads; every other type is ignored.</summary>
internal static class BlobEventTypes
{
    /// <summary>A blob was created or replaced (Event Grid <c>eventType</c>, CloudEvents <c>type</c>).</summary>
    public const string BlobCreated = "Microsoft.Storage.BlobCreated";

    /// <summary>Event Grid's handshake when a webhook subscription is created or updated.</summary>
    public const string SubscriptionValidation = "Microsoft.EventGrid.SubscriptionValidationEvent";
}
