using System.Globalization;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Reading helpers for one YAML file: each turns a node into a typed value or reports a located diagnostic and
/// returns null, so a reader can carry on and report every problem of the file in one pass.
/// </summary>
internal sealed class LoadContext(string displayPath, DiagnosticBag diagnostics)
{
    public string DisplayPath { get; } = displayPath;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public SourceLocation At(YamlNode node) => new(DisplayPath, (int)node.Start.Line, (int)node.Start.Column);

    public SourceLocation At(Mark mark) => new(DisplayPath, (int)mark.Line, (int)mark.Column);

    /// <summary>The location of a position inside a scalar's value, exact for one-line plain and quoted scalars.</summary>
    public SourceLocation At(YamlScalarNode scalar, TextPosition inside)
    {
        var value = scalar.Value ?? string.Empty;
        var written = scalar.End.Column - scalar.Start.Column;

        // Exact only when the value is the written text: one line, and for quoted scalars no escapes ('' or \").
        var exact = scalar.Start.Line == scalar.End.Line && !value.Contains('\n', StringComparison.Ordinal);
        return scalar.Style switch
        {
            ScalarStyle.Plain when exact && written == value.Length
                => new(DisplayPath, (int)scalar.Start.Line, (int)scalar.Start.Column + inside.Column - 1),
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when exact && written == value.Length + 2
                => new(DisplayPath, (int)scalar.Start.Line, (int)scalar.Start.Column + inside.Column),
            _ => At(scalar),
        };
    }

    // Values left to read from free-form YAML ('with' maps, json parameters). Aliases point at shared nodes, so a
    // small file can expand to billions of values ("billion laughs"); past this many, reading stops with one error.
    private int _valueBudget = 1_000_000;

    /// <summary>Counts one value of a free-form YAML tree; false once the budget is spent (reported the first time).</summary>
    public bool TakeValue(YamlNode node)
    {
        if (--_valueBudget == -1)
        {
            Error(DiagnosticCodes.BadValue, node, "too many values once YAML aliases are expanded (over a million); write the values out or shorten them");
        }

        return _valueBudget >= 0;
    }

    public void Error(string code, YamlNode node, string message) => Diagnostics.Error(code, At(node), message);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or "Null" or "NULL" };

    public YamlMap? Map(YamlNode node, string what, IReadOnlyList<string> allowedKeys)
    {
        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, this, what, allowedKeys);
        }

        Error(DiagnosticCodes.WrongType, node, $"{what} must be a map of keys ({string.Join(", ", allowedKeys)}), not {Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(DiagnosticCodes.WrongType, node, $"{what} must be a list (items starting with '- '), not {Describe(node)}");
        return null;
    }

    public YamlScalarNode? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar;
        }

        Error(DiagnosticCodes.WrongType, node, $"{what} must be a single value, not {Describe(node)}");
        return null;
    }

    public string? String(YamlNode node, string what) => Scalar(node, what)?.Value;

    public int? Int(YamlNode node, string what, int min, int max = int.MaxValue)
    {
        var scalar = Scalar(node, what);
        if (scalar is null)
        {
            return null;
        }

        if (!int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(DiagnosticCodes.WrongType, node, $"{what} must be a whole number, not '{scalar.Value}'");
            return null;
        }

        if (value < min)
        {
            Error(DiagnosticCodes.BadValue, node, $"{what} must be at least {min}, not {value}");
            return null;
        }

        if (value > max)
        {
            Error(DiagnosticCodes.BadValue, node, $"{what} must be at most {max}, not {value}");
            return null;
        }

        return value;
    }

    public double? Number(YamlNode node, string what, double min, double max)
    {
        var scalar = Scalar(node, what);
        if (scalar is null)
        {
            return null;
        }

        if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(DiagnosticCodes.WrongType, node, $"{what} must be a number, not '{scalar.Value}'");
            return null;
        }

        if (value < min || value > max)
        {
            Error(DiagnosticCodes.BadValue, node, $"{what} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {scalar.Value}");
            return null;
        }

        return value;
    }

    public bool? Bool(YamlNode node, string what)
    {
        var scalar = Scalar(node, what);
        if (scalar is null)
        {
            return null;
        }

        if (bool.TryParse(scalar.Value, out var value))
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, node, $"{what} must be true or false, not '{scalar.Value}'");
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string what)
    {
        var scalar = Scalar(node, what);
        if (scalar is null)
        {
            return null;
        }

        if (!Blocks.Text.Duration.TryParse(scalar.Value, out var value) || value <= TimeSpan.Zero)
        {
            Error(DiagnosticCodes.BadDuration, node, $"{what} '{scalar.Value}' is not a duration; write for example {Blocks.Text.Duration.Examples}");
            return null;
        }

        return value;
    }

    /// <summary>A list of scalars; a single scalar is accepted as a list of one.</summary>
    public IReadOnlyList<YamlScalarNode> ScalarList(YamlNode node, string what)
    {
        if (node is YamlScalarNode && !IsNull(node))
        {
            return [(YamlScalarNode)node];
        }

        var sequence = Sequence(node, what);
        if (sequence is null)
        {
            return [];
        }

        var items = new List<YamlScalarNode>();
        foreach (var item in sequence.Children)
        {
            if (Scalar(item, $"each item of {what}") is { } scalar)
            {
                items.Add(scalar);
            }
        }

        return items;
    }

    /// <summary>The index of the value in <paramref name="names"/>, or null after reporting it with a hint.</summary>
    public int? Choice(YamlNode node, IReadOnlyList<string> names, string what)
    {
        var text = String(node, what);
        if (text is null)
        {
            return null;
        }

        var index = names.ToList().IndexOf(text);
        if (index >= 0)
        {
            return index;
        }

        Error(DiagnosticCodes.BadValue, node, $"{what} '{text}' is not valid; {EditDistance.DidYouMean(text, names)}use {string.Join(", ", names)}");
        return null;
    }

    /// <summary>An IANA time zone id, or null after reporting that it is not one.</summary>
    public string? TimeZone(YamlNode node, string what)
    {
        var zone = String(node, what);
        if (zone is null || Schedules.IsIanaTimeZone(zone))
        {
            return zone;
        }

        Error(DiagnosticCodes.BadTimeZone, node, $"time zone '{zone}' is not an IANA time zone id; write for example Europe/Berlin, America/New_York or UTC");
        return null;
    }

    public string? Name(YamlNode node, string what)
    {
        var name = String(node, what);
        if (name is not null && !Names.IsValid(name))
        {
            Error(DiagnosticCodes.BadName, node, $"{what} '{name}' is not valid; use {Names.Rule}");
            return null;
        }

        return name;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "empty",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "this value",
    };
}
