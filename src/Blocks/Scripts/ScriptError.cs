using System.Globalization;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Scripts;

/// <summary>One compile error of a C# script block, where the script author has to fix it.</summary>
/// <param name="FilePath">The script's path as shown to the user, e.g. <c>blocks/clean_orders.csx</c>.</param>
/// <param name="Position">The 1-based line and column, or null for an error that belongs to no place in the file.</param>
/// <param name="Id">The compiler's error id, e.g. <c>CS0103</c>.</param>
/// <param name="Message">The compiler's message.</param>
internal sealed record ScriptError(string FilePath, TextPosition? Position, string Id, string Message)
{
    /// <summary>The compiler's own layout, <c>file:line:col: error CSxxxx: message</c>, which editors and terminals link.</summary>
    public override string ToString() => Position is { } p
        ? string.Create(CultureInfo.InvariantCulture, $"{FilePath}:{p.Line}:{p.Column}: error {Id}: {Message}")
        : $"{FilePath}: error {Id}: {Message}";
}
