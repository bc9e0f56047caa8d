namespace Duraflow.Blocks.Settings;

/// <summary>A built-in block that a pipeline can name in <c>uses:</c> without writing code.</summary>
/// <param name="Id">The id written in <c>uses:</c>.</param>
/// <param name="Description">One line on what the block does.</param>
/// <param name="Fields">Its settings under <c>with:</c>, checked by <c>duraflow validate</c> and listed by <c>duraflow blocks</c>.</param>
/// <param name="Run">Runs one attempt with the block's settings.</param>
internal sealed record BuiltInBlock(
    string Id, string Description, IReadOnlyList<ConfigField> Fields, Func<BlockSettings, BlockContext, Task<BlockValue>> Run)
{
    /// <summary>The setting named <paramref name="name"/>, or null.</summary>
    public ConfigField? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
