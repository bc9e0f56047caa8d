using Duraflow.Tests;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// What the Entra tests share: a project with one pipeline, the API's captured logs, and a local tenant stand-in
/// started before each test and stopped after it.
/// </summary>
public abstract class EntraTestProject : IAsyncLifetime, IDisposable
{
    private OpenIdStandIn? _openId;

    protected EntraTestProject()
    {
        Folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        Folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
    }

    /// <summary>The project.</summary>
    internal TempFolder Folder { get; } = new();

    /// <summary>What the API logged.</summary>
    internal CapturedLogs Logs { get; } = new();

    /// <summary>The tenant stand-in; started by InitializeAsync, which xunit runs before each test.</summary>
    internal OpenIdStandIn OpenId => _openId ?? throw new InvalidOperationException("the stand-in starts in InitializeAsync");

    public async Task InitializeAsync() => _openId = await OpenIdStandIn.StartAsync();

    public async Task DisposeAsync()
    {
        if (_openId is not null)
        {
            await _openId.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Folder.Dispose();
        }
    }
}
