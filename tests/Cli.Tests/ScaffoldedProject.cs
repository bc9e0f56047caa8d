using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// One project made by `duraflow init` and validated once, which builds its blocks/ library with `dotnet build`:
/// tests share it because that build takes seconds.
/// </summary>
public sealed class ScaffoldedProject : IAsyncLifetime, IDisposable
{
    // A first `dotnet build` on a busy machine (the other test projects run alongside) can take a while.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(3);

    private readonly TempFolder _folder = new();

    public string Root => _folder.PathOf("demo");

    internal CliRunner.Result Init { get; private set; } = null!;

    internal CliRunner.Result FirstValidate { get; private set; } = null!;

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public async Task InitializeAsync()
    {
        Init = await CliRunner.RunAsync(_folder.Root, "init", "demo");
        FirstValidate = await CliRunner.RunAsync(Root, BuildLimit, "validate");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}
