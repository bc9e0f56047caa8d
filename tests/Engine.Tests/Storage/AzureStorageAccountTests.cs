using Azure.Identity;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Reading the storage account from settings; no network is involved.</summary>
public sealed class AzureStorageAccountTests
{
    private const string Prefix = "AzureWebJobsStorage";

    private static AzureStorageAccount Read(params (string Name, string? Value)[] settings) =>
        AzureStorageAccount.FromSettings(Prefix, settings.ToDictionary(s => s.Name, s => s.Value));

    private static string ErrorOf(params (string Name, string? Value)[] settings) =>
        Assert.Throws<InvalidOperationException>(() => Read(settings)).Message;

    [Fact]
    public void The_development_storage_connection_string_reaches_Azurite()
    {
        var account = Read((Prefix, "UseDevelopmentStorage=true"));

        Assert.True(account.UsesConnectionString);
        Assert.Null(account.Credential);
        Assert.Null(account.BlobServiceUri);
        var client = account.CreateBlobServiceClient();
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), client.Uri);
        Assert.Equal("devstoreaccount1", client.AccountName);
    }

    [Fact]
    public void A_connection_string_wins_over_identity_settings()
    {
        var account = Read(
            (Prefix, "DefaultEndpointsProtocol=https;AccountName=prod1;AccountKey=a2V5;EndpointSuffix=core.windows.net"),
            ($"{Prefix}__accountName", "other"));

        Assert.True(account.UsesConnectionString);
        Assert.Equal(new Uri("https://prod1.blob.core.windows.net/"), account.CreateBlobServiceClient().Uri);
    }

    [Fact]
    public void A_bad_connection_string_names_the_setting_and_not_the_string()
    {
        var message = ErrorOf((Prefix, "AccountKey=c2VjcmV0;nonsense"));

        Assert.Contains(Prefix, message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_name_gives_the_public_cloud_blob_endpoint_and_DefaultAzureCredential()
    {
        var account = Read(($"{Prefix}__accountName", "duraflowprod"));

        Assert.False(account.UsesConnectionString);
        Assert.Equal(new Uri("https://duraflowprod.blob.core.windows.net"), account.BlobServiceUri);
        Assert.IsType<DefaultAzureCredential>(account.Credential);
        Assert.Equal("duraflowprod", account.CreateBlobServiceClient().AccountName);
    }

    [Fact]
    public void An_endpoint_suffix_selects_another_cloud()
    {
        var account = Read(($"{Prefix}__accountName", "duraflowcn"), ($"{Prefix}__endpointSuffix", "core.chinacloudapi.cn"));

        Assert.Equal(new Uri("https://duraflowcn.blob.core.chinacloudapi.cn"), account.BlobServiceUri);
    }

    [Fact]
    public void A_blob_service_uri_wins_over_the_account_name_and_managedidentity_asks_for_a_managed_identity()
    {
        var account = Read(
            ($"{Prefix}__blobServiceUri", "https://custom.example.net"),
            ($"{Prefix}__accountName", "ignored"),
            ($"{Prefix}__credential", "managedidentity"),
            ($"{Prefix}__clientId", "00000000-0000-0000-0000-000000000001"));

        Assert.Equal(new Uri("https://custom.example.net"), account.BlobServiceUri);
        Assert.IsType<ManagedIdentityCredential>(account.Credential);
    }

    [Fact]
    public void The_queue_and_table_services_of_an_account_name_sit_beside_its_blob_service()
    {
        var account = Read(($"{Prefix}__accountName", "duraflowprod"));

        Assert.Equal(new Uri("https://duraflowprod.queue.core.windows.net"), account.QueueServiceUri);
        Assert.Equal(new Uri("https://duraflowprod.table.core.windows.net"), account.TableServiceUri);
        Assert.Equal("duraflowprod", account.CreateQueueServiceClient().AccountName);
        Assert.Equal("duraflowprod", account.CreateTableServiceClient().AccountName);
    }

    [Fact]
    public void Explicit_queue_and_table_service_uris_win_over_the_derived_ones()
    {
        var account = Read(
            ($"{Prefix}__accountName", "duraflowprod"),
            ($"{Prefix}__queueServiceUri", "https://queues.example.net"),
            ($"{Prefix}__tableServiceUri", "https://tables.example.net"));

        Assert.Equal(new Uri("https://queues.example.net"), account.QueueServiceUri);
        Assert.Equal(new Uri("https://tables.example.net"), account.TableServiceUri);
    }

    [Fact]
    public void A_custom_blob_service_uri_needs_the_queue_service_uri_named_before_a_queue_client_is_made()
    {
        var account = Read(($"{Prefix}__blobServiceUri", "https://custom.example.net"));

        var error = Assert.Throws<InvalidOperationException>(() => account.CreateQueueServiceClient());

        Assert.Contains($"{Prefix}__queueServiceUri", error.Message, StringComparison.Ordinal);
        Assert.Null(account.TableServiceUri);
    }

    [Fact]
    public void Names_match_ignoring_case_and_colons_read_like_double_underscores()
    {
        var account = Read(("azurewebjobsstorage:SERVICEURI", "https://colon.blob.core.windows.net"));

        Assert.Equal(new Uri("https://colon.blob.core.windows.net"), account.BlobServiceUri);
    }

    [Fact]
    public void A_given_credential_replaces_the_one_the_settings_choose()
    {
        var credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);

        var account = AzureStorageAccount.FromSettings(
            Prefix, new Dictionary<string, string?> { [$"{Prefix}__accountName"] = "duraflowprod" }, credential);

        Assert.Same(credential, account.Credential);
    }

    [Fact]
    public void No_setting_at_all_names_every_way_to_configure_the_account()
    {
        var message = ErrorOf(("Unrelated", "x"), (Prefix, " "));

        Assert.Contains($"set {Prefix} to a connection string", message, StringComparison.Ordinal);
        Assert.Contains($"{Prefix}__accountName", message, StringComparison.Ordinal);
        Assert.Contains($"{Prefix}__blobServiceUri", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("__blobServiceUri", "http://plain.blob.core.windows.net")]
    [InlineData("__blobServiceUri", "not a uri")]
    [InlineData("__accountName", "Upper_Case")]
    [InlineData("__accountName", "ab")]
    public void A_value_that_cannot_work_is_reported_with_its_setting(string suffix, string value)
    {
        var message = ErrorOf(($"{Prefix}{suffix}", value));

        Assert.Contains($"{Prefix}{suffix}", message, StringComparison.Ordinal);
        Assert.Contains(value, message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_credential_kind_is_reported_with_its_setting()
    {
        var message = ErrorOf(($"{Prefix}__accountName", "duraflowprod"), ($"{Prefix}__credential", "clientsecret"));

        Assert.Contains($"{Prefix}__credential", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_reads_the_prefixed_variables()
    {
        var prefix = $"DURAFLOW_TEST_STORAGE_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable($"{prefix}__accountName", "fromenv");
        try
        {
            Assert.Equal(new Uri("https://fromenv.blob.core.windows.net"), AzureStorageAccount.FromEnvironment(prefix).BlobServiceUri);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}__accountName", null);
        }
    }

    [Fact]
    public void FromIdentity_refuses_plain_http()
    {
        var credential = new DefaultAzureCredential();

        Assert.Throws<ArgumentException>(() => AzureStorageAccount.FromIdentity(new Uri("http://127.0.0.1:10000/devstoreaccount1"), credential));
        Assert.Equal(
            new Uri("https://a.blob.core.windows.net"),
            AzureStorageAccount.FromIdentity(new Uri("https://a.blob.core.windows.net"), credential).CreateBlobServiceClient().Uri);
    }
}
