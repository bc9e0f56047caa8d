using Duraflow.Blocks.Scripts;

namespace Duraflow.Blocks.Tests;

/// <summary>The script block behaviour, on scripts compiled in this process.</summary>
public sealed class CompiledScriptBlockTests(ScriptCompilerFixture fixture) : ScriptBlockTests, IClassFixture<ScriptCompilerFixture>
{
    private protected override CompiledScript Compile(string displayPath, string code) => fixture.Compiler.Compile(displayPath, code);
}
