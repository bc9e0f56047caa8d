namespace Duraflow.Blocks;

/// <summary>
/// Which block reads a table, as which input, so that a row that does not convert is named where the user can find
/// it: "block summary: row 3 of input 'orders'".
/// </summary>
internal sealed record TableOrigin(string Block, string Input)
{
    /// <summary>Row <paramref name="number"/> (1-based) as an error message starts.</summary>
    public string Row(long number) => $"block {Block}: row {number} of input '{Input}'";
}
