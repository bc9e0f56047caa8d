using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Gives a YAML scalar its typed value under YAML's core schema: quoted is text; plain may be null, bool or number.</summary>
internal static class YamlScalars
{
    public static object? Interpret(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return text;
        }

        if (LoadContext.IsNull(scalar))
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return bool.Parse(text);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : text;
    }
}
