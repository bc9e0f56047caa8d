using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

/// <summary>
/// A project on disk whose pipelines have blob_created triggers, each reading the blob's file from <c>data/</c> with
/// csv.read through <c>{{ trigger.blob.* }}</c>, so a run succeeds only if the event's values reached the block.
/// </summary>
internal sealed class BlobProject : IDisposable
{
    private readonly TempFolder _folder = new();
    private DuraflowEngine? _local;

    public BlobProject(params (string Name, string Trigger)[] pipelines)
    {
        _folder.Write("duraflow.yaml", "store: { path: state/runs.db }\n");
        _folder.Write("io_config.yaml", """
            default:
              lake:
                type: azure_blob
                account_url: https://stlanding.blob.core.windows.net
              other_lake:
                type: azure_blob
                account_url: https://stother.blob.core.windows.net
            """);
        foreach (var (name, trigger) in pipelines)
        {
            _folder.Write($"pipelines/{name}/pipeline.yaml", $$$"""
                name: {{{name}}}
                blocks:
                  - name: load
                    uses: csv.read
                    with:
                      path: "data/{{ trigger.blob.container }}/{{ trigger.blob.name }}"
                triggers:
                  - blob_created: {{{trigger}}}
                """);
        }

        var validation = ProjectValidator.Validate(_folder.Root, displayRoot: _folder.Root);
        Assert.True(validation.IsValid, string.Join(Environment.NewLine, validation.Diagnostics));
        Pipelines = validation.Pipelines;
    }

    public string Root => _folder.Root;

    public string DataFolder => Path.Combine(_folder.Root, "data");

    public IReadOnlyList<ValidatedPipeline> Pipelines { get; }

    public DuraflowEngine Local => _local ??= DuraflowEngine.Open(DuraflowProject.Open(_folder.Root));

    public BlobEventDispatcher Dispatcher(IReadOnlyDictionary<string, string>? accounts = null) =>
        new(Local.Starter, new BlobTriggerMatcher(Pipelines, accounts));

    public string WriteData(string relativePath, string content) => _folder.Write(Path.Combine("data", relativePath), content);

    public async Task<int> RunCountAsync() =>
        (await Local.Committer.Store.ListRunsAsync(new Duraflow.Engine.Storage.RunQuery(Limit: 100), CancellationToken.None)).Count;

    public void Dispose()
    {
        _local?.Dispose();
        _folder.Dispose();
    }
}
