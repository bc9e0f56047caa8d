using System.Text;

namespace Duraflow.Blocks.Text;

/// <summary>
/// Type names as a script author wrote them (<c>List&lt;Order&gt;</c>, <c>DateOnly?</c>), for error messages:
/// reflection names (<c>List`1</c>, <c>Submission#0+Order</c>) mean nothing to the reader of a run log.
/// </summary>
internal static class TypeDisplay
{
    public static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = new StringBuilder(type.Name, 0, type.Name.IndexOf('`', StringComparison.Ordinal), 64);
        name.Append('<').AppendJoin(", ", type.GetGenericArguments().Select(Name)).Append('>');
        return name.ToString();
    }
}
