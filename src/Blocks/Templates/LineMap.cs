using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>Turns character offsets of a text into 1-based line and column positions.</summary>
internal sealed class LineMap
{
    private readonly List<int> _lineStarts = [0];

    public LineMap(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public TextPosition PositionOf(int offset)
    {
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new TextPosition(line + 1, offset - _lineStarts[line] + 1);
    }
}
