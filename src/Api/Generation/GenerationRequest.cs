namespace Duraflow.Api.Generation;

/// <summary>What to generate: block <paramref name="Name"/> of <paramref name="Kind"/> in <paramref name="Pipeline"/>, doing what <paramref name="Description"/> says.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Name">The new block's name.</param>
/// <param name="Kind">Script or SQL.</param>
/// <param name="Description">What the block does, in the user's words; for a template, its first comment.</param>
/// <param name="DryRun">Show what would be written, write nothing.</param>
internal sealed record GenerationRequest(string Pipeline, string Name, GeneratedKind Kind, string Description, bool DryRun)
{
    /// <summary>The longest description taken: a paragraph or a page, not a document.</summary>
    public const int MaxDescription = 8_000;

    /// <summary>What is wrong with the request: the field (<c>name</c>, <c>describe</c>) and what to change; null when it can be carried out.</summary>
    public (string Field, string Message)? Problem()
    {
        if (!Engine.Definitions.Names.IsValid(Name))
        {
            return ("name", $"'{Name}' is not a block name: {Engine.Definitions.Names.Rule}");
        }

        if (string.IsNullOrWhiteSpace(Description))
        {
            return ("describe", "is empty; say what the block does, such as \"total the orders per customer\"");
        }

        return Description.Length > MaxDescription
            ? ("describe", $"has {Description.Length} characters; say it in at most {MaxDescription}")
            : null;
    }
}
