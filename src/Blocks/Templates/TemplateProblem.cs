using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>A template that cannot be understood, with the place it starts and what would fix it.</summary>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Position">Where the problem starts in the scanned text.</param>
internal sealed record TemplateProblem(string Message, TextPosition Position);
