using System.Text;

namespace Duraflow.Tests;

/// <summary>
/// Event bodies shaped as Event Grid delivers them (Microsoft.Storage.BlobCreated in the Event Grid schema and as a
/// CloudEvent, and the subscription validation event; docs/triggers.md, "Blob-created triggers"), with the parts a
/// test varies.
/// </summary>
internal static class Payloads
{
    public const string Topic = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stlanding";

    public static string EventGrid(
        string id = "831e1650-001e-001b-66ab-eeb76e069631",
        string container = "landing",
        string name = "orders/2026-11-24.csv",
        string eventType = "Microsoft.Storage.BlobCreated",
        string sequencer = "00000000000004420000000000028963",
        long size = 524288) => $$"""
        {
          "topic": "{{Topic}}",
          "subject": "/blobServices/default/containers/{{container}}/blobs/{{name}}",
          "eventType": "{{eventType}}",
          "eventTime": "2026-11-24T06:01:02.1234567Z",
          "id": "{{id}}",
          "data": {
            "api": "PutBlockList",
            "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
            "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
            "eTag": "\"0x8D4BCC2E4835CD0\"",
            "contentType": "text/csv",
            "contentLength": {{size}},
            "blobType": "BlockBlob",
            "url": "https://stlanding.blob.core.windows.net/{{container}}/{{name}}",
            "sequencer": "{{sequencer}}",
            "storageDiagnostics": { "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0" }
          },
          "dataVersion": "",
          "metadataVersion": "1"
        }
        """;

    public static string CloudEvent(
        string id = "9aeb0fdf-c01e-0131-0922-9eb54906e209",
        string container = "landing",
        string name = "orders/2026-11-24.csv",
        string type = "Microsoft.Storage.BlobCreated") => $$"""
        {
          "specversion": "1.0",
          "type": "{{type}}",
          "source": "{{Topic}}",
          "id": "{{id}}",
          "time": "2026-11-24T06:01:02.1234567Z",
          "subject": "/blobServices/default/containers/{{container}}/blobs/{{name}}",
          "datacontenttype": "application/json",
          "data": {
            "api": "PutBlob",
            "clientRequestId": "4c5dd7fb-2c48-4a27-bb30-5361b5de920a",
            "requestId": "9aeb0fdf-c01e-0131-0922-9eb549000000",
            "eTag": "0x8D76C39E4407333",
            "contentType": "text/csv",
            "contentLength": 30699,
            "blobType": "BlockBlob",
            "url": "https://stlanding.blob.core.windows.net/{{container}}/{{name}}",
            "sequencer": "000000000000000000000000000099240000000000c41c18",
            "storageDiagnostics": { "batchId": "681fe319-3006-00a8-0022-9e7cde000000" }
          }
        }
        """;

    public static string SubscriptionValidation(string code = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6") => $$"""
        [{
          "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
          "topic": "{{Topic}}",
          "subject": "",
          "data": {
            "validationCode": "{{code}}",
            "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/landing/validate?id=512d38b6&t=2026-11-24T06:00:00.0000000Z&apiVersion=2025-02-15&token=abc"
          },
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2026-11-24T06:00:00.0000000Z",
          "metadataVersion": "1",
          "dataVersion": "1"
        }]
        """;

    public static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    public static string Array(params string[] events) => "[" + string.Join(",", events) + "]";
}
