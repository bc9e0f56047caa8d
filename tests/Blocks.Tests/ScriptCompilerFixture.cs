using Duraflow.Blocks.Scripts;

namespace Duraflow.Blocks.Tests;

/// <summary>One compiler for a whole test class: the first compilation in a process takes over a second.</summary>
public sealed class ScriptCompilerFixture
{
    internal ScriptCompiler Compiler { get; } = new();
}
