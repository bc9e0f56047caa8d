namespace Duraflow.Blocks.Settings;

/// <summary>One setting of a built-in block, under the block's <c>with:</c>.</summary>
/// <param name="Name">The key under <c>with:</c>.</param>
/// <param name="Kind">What the value holds.</param>
/// <param name="Description">One line for <c>duraflow blocks</c>.</param>
/// <param name="Required">True when the block cannot run without it.</param>
/// <param name="Default">The value used when the key is absent, as written in YAML; null for none.</param>
/// <param name="Choices">For <see cref="ConfigKind.Choice"/>: the allowed words.</param>
internal sealed record ConfigField(
    string Name, ConfigKind Kind, string Description, bool Required = false, string? Default = null, IReadOnlyList<string>? Choices = null);
