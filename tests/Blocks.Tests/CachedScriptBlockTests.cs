using Duraflow.Blocks.Scripts;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// The script block behaviour, on scripts that a new compiler loads from a cache folder written by another, as the
/// next process does.
/// </summary>
public sealed class CachedScriptBlockTests(ScriptCacheFixture fixture) : ScriptBlockTests, IClassFixture<ScriptCacheFixture>
{
    private protected override CompiledScript Compile(string displayPath, string code)
    {
        Assert.Empty(fixture.Writer.Check(displayPath, code));
        var reader = new ScriptCompiler(fixture.Folder.Root);

        var script = reader.Compile(displayPath, code);

        Assert.Equal((0, 1), (reader.Compilations, reader.CacheLoads));
        return script;
    }
}
