using System.Text;

namespace Duraflow.Blocks.Text;

/// <summary>
/// Type names as a script author wrote them (<c>List&lt;Order&gt;</c>, <c>DateOnly?</c>, <c>decimal</c>), for error
/// messages: reflection names (<c>List`1</c>, <c>Submission#0+Order</c>, <c>Decimal</c>) mean nothing to the reader
/// of a run log.
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

        if (Keyword(type) is { } keyword)
        {
            return keyword;
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = new StringBuilder(type.Name, 0, type.Name.IndexOf('`', StringComparison.Ordinal), 64);
        name.Append('<').AppendJoin(", ", type.GetGenericArguments().Select(Name)).Append('>');
        return name.ToString();
    }

    // C#'s own names for the built-in types, as a record's properties declare them.
    private static string? Keyword(Type type) => type.IsEnum ? null : Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Byte => "byte",
        TypeCode.SByte => "sbyte",
        TypeCode.Char => "char",
        TypeCode.Int16 => "short",
        TypeCode.UInt16 => "ushort",
        TypeCode.Int32 => "int",
        TypeCode.UInt32 => "uint",
        TypeCode.Int64 => "long",
        TypeCode.UInt64 => "ulong",
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.Decimal => "decimal",
        TypeCode.String => "string",
        _ when type == typeof(object) => "object",
        _ => null,
    };
}
