using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>A dotted path used inside <c>{{ ... }}</c>, such as <c>blocks.load_orders</c> or <c>params.day</c>.</summary>
/// <param name="Root">The first segment: <c>blocks</c>, <c>params</c>, <c>env</c>, <c>secrets</c>, <c>run</c> or <c>trigger</c>.</param>
/// <param name="Name">The second segment (the block or parameter name), or empty when the path has only a root.</param>
/// <param name="Path">The whole dotted path as written.</param>
/// <param name="Position">Where the path starts in the scanned text.</param>
internal sealed record TemplateReference(string Root, string Name, string Path, TextPosition Position);
