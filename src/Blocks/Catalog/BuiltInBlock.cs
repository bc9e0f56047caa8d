namespace Duraflow.Blocks.Catalog;

/// <summary>A built-in block that a pipeline can name in <c>uses:</c> without writing code.</summary>
/// <param name="Id">The id written in <c>uses:</c>.</param>
/// <param name="Description">One line on what the block does.</param>
public sealed record BuiltInBlock(string Id, string Description);
