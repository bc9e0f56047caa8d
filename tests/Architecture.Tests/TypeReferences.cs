using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Duraflow.Architecture.Tests;

/// <summary>
/// What a compiled type refers to: its base type and interfaces, attributes, members' signatures, locals, and every
/// type, method and field its method bodies use. Generic arguments, arrays and by-ref types are looked through.
/// </summary>
internal static class TypeReferences
{
    /// <summary>The namespace a type belongs to: its own, or for a nested type (a closure, a state machine) its outermost type's.</summary>
    public static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }

    /// <summary>Every type <paramref name="type"/> refers to.</summary>
    public static IEnumerable<TypeReference> Of(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference) => Unwrap(reference, found);

        Add(type.BaseType);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType);
        }

        AddAttributes(type.CustomAttributes, found);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes, found);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes, found);
        }

        foreach (var e in type.Events)
        {
            Add(e.EventType);
        }

        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            AddAttributes(method.CustomAttributes, found);
            foreach (var parameter in method.Parameters)
            {
                Add(parameter.ParameterType);
            }

            foreach (var constraint in method.GenericParameters.SelectMany(g => g.Constraints))
            {
                Add(constraint.ConstraintType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Add(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference m:
                        AddMethod(m, found);
                        break;
                    case FieldReference f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    /// <summary>Every method the bodies of <paramref name="type"/>'s methods call or take the address of, with the calling method.</summary>
    public static IEnumerable<(MethodDefinition Caller, MethodReference Callee)> Calls(TypeDefinition type) =>
        from method in type.Methods
        where method.HasBody
        from instruction in method.Body.Instructions
        where instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn
        select (method, (MethodReference)instruction.Operand);

    private static void AddMethod(MethodReference method, List<TypeReference> found)
    {
        Unwrap(method.DeclaringType, found);
        Unwrap(method.ReturnType, found);
        foreach (var parameter in method.Parameters)
        {
            Unwrap(parameter.ParameterType, found);
        }

        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                Unwrap(argument, found);
            }
        }
    }

    private static void AddAttributes(IEnumerable<CustomAttribute> attributes, List<TypeReference> found)
    {
        foreach (var attribute in attributes)
        {
            Unwrap(attribute.AttributeType, found);
        }
    }

    private static void Unwrap(TypeReference? type, List<TypeReference> found)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Unwrap(generic.ElementType, found);
                foreach (var argument in generic.GenericArguments)
                {
                    Unwrap(argument, found);
                }

                return;
            case TypeSpecification specification:
                // Arrays, pointers, by-ref and modified types: what counts is the type inside.
                Unwrap(specification.ElementType, found);
                return;
            default:
                found.Add(type);
                return;
        }
    }
}
