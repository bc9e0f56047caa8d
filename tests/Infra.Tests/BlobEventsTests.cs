namespace Duraflow.Infra.Tests;

/// <summary>
/// The lake's blob events reach the queue the app's blobevents function reads, filtered to finished blobs in the chosen
/// containers, retried, and dead-lettered rather than dropped.
/// </summary>
public sealed class BlobEventsTests
{
    private static readonly ArmTemplate Main = ArmTemplate.Load(InfraPaths.CompiledMain);
    private static readonly ArmResource Topic = Main.AllResources("Microsoft.EventGrid/systemTopics").Single();
    private static readonly ArmResource Subscription = Main.AllResources("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();

    [Fact]
    public void Topic_IsTheLakeAccountsSystemTopic()
    {
        Assert.Equal("Microsoft.Storage.StorageAccounts", Topic.Get("properties.topicType")!.GetValue<string>());
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('lakeAccountName'))]", Topic.Json["properties"]!["source"]!.GetValue<string>());
        Assert.Equal(Main.Variables["lakeAccountName"]!.GetValue<string>(), Topic.Template.ParameterValue("lakeAccountName")!.GetValue<string>());
        Assert.Equal("SystemAssigned", Topic.Get("identity.type")!.GetValue<string>());
    }

    [Fact]
    public void Subscription_DeliversToTheBlobEventsQueueOfTheRuntimeAccount_WithItsOwnIdentity()
    {
        var delivery = Subscription.Get("properties.deliveryWithResourceIdentity")!;
        var destination = delivery["destination"]!;

        Assert.Null(Subscription.Get("properties.destination"));
        Assert.Equal("SystemAssigned", delivery["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageQueue", destination["endpointType"]!.GetValue<string>());
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('runtimeAccountName'))]", destination["properties"]!["resourceId"]!.GetValue<string>());
        Assert.Equal(Main.Variables["runtimeAccountName"]!.GetValue<string>(), Subscription.Template.ParameterValue("runtimeAccountName")!.GetValue<string>());
        Assert.Equal(Main.Variables["blobEventsQueue"]!.GetValue<string>(), destination["properties"]!["queueName"]!.GetValue<string>());
        Assert.Equal(-1, destination["properties"]!["queueMessageTimeToLiveInSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void Subscription_DependsOnTheRolesItDeliversWith()
    {
        var dependsOn = Subscription.Json["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();

        Assert.Contains("canSend", dependsOn);
        Assert.Contains("canDeadLetter", dependsOn);
    }

    [Fact]
    public void Filter_PassesOnlyFinishedBlobsCreatedInTheEventContainers()
    {
        var filter = Subscription.Get("properties.filter")!;
        var advanced = filter["advancedFilters"]!.AsArray();
        var subject = advanced.Single(f => f!["key"]!.GetValue<string>() == "subject")!;
        var api = advanced.Single(f => f!["key"]!.GetValue<string>() == "data.api")!;

        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("StringBeginsWith", subject["operatorType"]!.GetValue<string>());
        Assert.Contains("/blobServices/default/containers/{0}/blobs/", subject.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("StringIn", api["operatorType"]!.GetValue<string>());
        Assert.Equal(["CopyBlob", "FlushWithClose", "PutBlob", "PutBlockList"], api["values"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        Assert.DoesNotContain("CreateFile", api.ToJsonString(), StringComparison.Ordinal);

        // The containers the subject filter names are lake containers this deployment creates.
        var eventContainers = Main.ParameterValue("blobEventContainers")!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var lakeContainers = Main.ParameterValue("lakeContainers")!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.NotEmpty(eventContainers);
        Assert.All(eventContainers, c => Assert.Contains(c, lakeContainers));
        Assert.Equal(Main.Template["parameters"]!["blobEventContainers"]!["defaultValue"]!.ToJsonString(), Subscription.Template.ParameterValue("containers")!.ToJsonString());
    }

    [Fact]
    public void UndeliverableEvents_AreRetriedThenDeadLetteredIntoTheRuntimeAccount()
    {
        var retry = Subscription.Get("properties.retryPolicy")!;
        var deadLetter = Subscription.Get("properties.deadLetterWithResourceIdentity")!;
        var destination = deadLetter["deadLetterDestination"]!;

        Assert.Equal(30, retry["maxDeliveryAttempts"]!.GetValue<int>());
        Assert.Equal(1440, retry["eventTimeToLiveInMinutes"]!.GetValue<int>());
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", destination["endpointType"]!.GetValue<string>());
        Assert.Equal("eventgrid-deadletter", destination["properties"]!["blobContainerName"]!.GetValue<string>());

        // Both the queue and the dead-letter container exist before Event Grid is pointed at them.
        var runtime = Main.Module("runtimeStorage");
        Assert.Contains("eventgrid-deadletter", runtime.ParameterValue("containers")!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(
            Main.Variables["blobEventsQueue"]!.GetValue<string>(),
            Assert.Single(runtime.ParameterValue("queues")!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public void Schema_IsEventGrid_WhichTheAppsParserReads()
    {
        Assert.Equal("EventGridSchema", Subscription.Get("properties.eventDeliverySchema")!.GetValue<string>());
        Assert.True(Subscription.Get("properties.filter.enableAdvancedFilteringOnArrays")!.GetValue<bool>());
    }
}
