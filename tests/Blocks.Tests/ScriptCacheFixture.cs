using Duraflow.Blocks.Scripts;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>A cache folder for a whole test class, and one compiler that fills it.</summary>
public sealed class ScriptCacheFixture : IDisposable
{
    public ScriptCacheFixture()
    {
        Writer = new ScriptCompiler(Folder.Root);
    }

    internal TempFolder Folder { get; } = new();

    internal ScriptCompiler Writer { get; }

    public void Dispose() => Folder.Dispose();
}
