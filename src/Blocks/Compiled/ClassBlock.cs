using System.Reflection;
using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Compiled;

/// <summary>
/// A compiled block (<c>uses: class:Namespace.Type</c>): a public, non-abstract class with a public parameterless
/// constructor and exactly one public instance method named <c>RunAsync</c> or <c>Run</c>.
/// </summary>
/// <remarks>
/// <para>
/// The method may return <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>, <c>T</c>, <c>Task</c>, <c>ValueTask</c> or
/// <c>void</c>; what it returns becomes the block's output as a script's return value does (a sequence of records is
/// a table, anything else JSON). Each parameter receives, by its type or name:
/// </para>
/// <list type="bullet">
/// <item><see cref="BlockContext"/>: the attempt's context (logger, checkpoints, connections, ...);</item>
/// <item><see cref="CancellationToken"/>: the attempt's token;</item>
/// <item>
/// anything else: the value named by the parameter's name in snake_case (<c>perCountry</c> reads
/// <c>per_country</c>): the output of that upstream block if the pipeline has one, else the block's <c>with:</c>
/// setting of that name, else that run parameter, converted like <c>Input&lt;T&gt;</c>, <c>Setting&lt;T&gt;</c> and
/// <c>Param&lt;T&gt;</c> in scripts. When the value is null (a skipped block, an unset parameter) a C# default value
/// of the parameter applies.
/// </item>
/// </list>
/// <para>
/// A new instance runs each attempt and is disposed after it when it implements <see cref="IDisposable"/> or
/// <see cref="IAsyncDisposable"/>. Exceptions of the block's own code propagate unchanged, so the retry policy
/// applies to them as to scripts. Safe to run concurrently: nothing is shared between attempts.
/// </para>
/// </remarks>
internal sealed class ClassBlock
{
    private static readonly string[] EntryPoints = ["RunAsync", "Run"];

    private readonly ConstructorInfo _constructor;

    private ClassBlock(Type type, ConstructorInfo constructor, MethodInfo method, IReadOnlyList<ClassBlockParameter> parameters)
    {
        Type = type;
        _constructor = constructor;
        Method = method;
        Parameters = parameters;
    }

    /// <summary>The block's class.</summary>
    public Type Type { get; }

    /// <summary>The <c>Run</c> or <c>RunAsync</c> method.</summary>
    public MethodInfo Method { get; }

    /// <summary>The method's parameters, in order, with what each receives.</summary>
    public IReadOnlyList<ClassBlockParameter> Parameters { get; }

    /// <summary>The parameters that read a value by name: upstream outputs, settings or run parameters.</summary>
    public IEnumerable<ClassBlockParameter> Values => Parameters.Where(p => p.Kind == ClassBlockParameterKind.Value);

    /// <summary>
    /// Describes <paramref name="type"/> as a block, or explains in <paramref name="error"/> (a phrase that follows
    /// the class's name, such as "is abstract; ...") why it is not one.
    /// </summary>
    public static ClassBlock? TryCreate(Type type, out string? error)
    {
        ArgumentNullException.ThrowIfNull(type);
        error = ShapeError(type);
        if (error is not null)
        {
            return null;
        }

        var constructor = type.GetConstructor(Type.EmptyTypes);
        if (constructor is null)
        {
            error = "has no public parameterless constructor; add one (a new instance runs each attempt)";
            return null;
        }

        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => EntryPoints.Contains(m.Name, StringComparer.Ordinal))
            .ToList();
        if (candidates.Count != 1)
        {
            error = candidates.Count == 0
                ? "has no public method named RunAsync or Run; add one, e.g. public IEnumerable<Total> Run(IEnumerable<Order> loadOrders)"
                : $"has {candidates.Count} public RunAsync/Run methods ({string.Join(", ", candidates.Select(Signature))}); keep exactly one";
            return null;
        }

        var method = candidates[0];
        error = MethodError(method);
        if (error is not null)
        {
            return null;
        }

        var parameters = new List<ClassBlockParameter>();
        foreach (var parameter in method.GetParameters())
        {
            var (described, parameterError) = Describe(method, parameter, parameters);
            if (parameterError is not null)
            {
                error = parameterError;
                return null;
            }

            parameters.Add(described!);
        }

        return new ClassBlock(type, constructor, method, parameters);
    }

    /// <summary>
    /// Runs one attempt: binds every parameter from <paramref name="context"/>, creates the class, calls its method
    /// and turns the result into the block's output.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">A value the method reads is missing or does not convert, or the
    /// result cannot be written as JSON.</exception>
    /// <exception cref="OperationCanceledException"><see cref="BlockContext.CancellationToken"/> was signalled.</exception>
    public async Task<BlockValue> RunAsync(BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        var arguments = Parameters.Select(p => Bind(p, context)).ToArray();

        // DoNotWrapExceptions: the block's own exception reaches the engine, not a TargetInvocationException around it.
        var instance = _constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, [], null);
        try
        {
            var returned = Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            var result = await ResultOfAsync(returned).ConfigureAwait(false);
            return BlockValue.FromResult(result, context.Block, context.WorkDirectory, context.FanOut, context.CancellationToken);
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static string? ShapeError(Type type)
    {
        if (!type.IsClass || typeof(Delegate).IsAssignableFrom(type))
        {
            return "is not a class; a block is a public class with a Run or RunAsync method";
        }

        if (!type.IsVisible)
        {
            return "is not public; make it public";
        }

        if (type.IsAbstract)
        {
            return type.IsSealed ? "is static; make it a non-static class" : "is abstract; name a concrete class";
        }

        return type.ContainsGenericParameters ? "is generic; a block class cannot have type parameters" : null;
    }

    private static string? MethodError(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return $"has a static {method.Name}; make it an instance method";
        }

        if (method.ContainsGenericParameters)
        {
            return $"has a generic {method.Name}; a block's method cannot have type parameters";
        }

        var returns = method.ReturnType;
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
        {
            return $"has {method.Name} returning {TypeDisplay.Name(returns)}, which is not supported; return IEnumerable<T> or Task<List<T>>";
        }

        return returns.IsByRef || returns.IsPointer ? $"has {method.Name} returning by reference; return a value" : null;
    }

    private static (ClassBlockParameter? Parameter, string? Error) Describe(MethodInfo method, ParameterInfo parameter, List<ClassBlockParameter> earlier)
    {
        var name = parameter.Name ?? $"arg{parameter.Position}";
        var type = parameter.ParameterType;
        if (type.IsByRef || type.IsPointer)
        {
            return (null, $"has {method.Name} with a ref, out, in or pointer parameter '{name}'; block values are passed by value");
        }

        if (type == typeof(BlockContext))
        {
            return (new ClassBlockParameter(name, null, type, ClassBlockParameterKind.Context), null);
        }

        if (type == typeof(CancellationToken))
        {
            return (new ClassBlockParameter(name, null, type, ClassBlockParameterKind.CancellationToken), null);
        }

        var valueName = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
        if (earlier.FirstOrDefault(p => p.ValueName == valueName) is { } clash)
        {
            return (null, $"has {method.Name} with parameters '{clash.Name}' and '{name}', which both read '{valueName}'; rename one");
        }

        return (new ClassBlockParameter(name, valueName, type, ClassBlockParameterKind.Value)
        {
            HasDefaultValue = parameter.HasDefaultValue,
            DefaultValue = parameter.HasDefaultValue ? parameter.DefaultValue ?? DefaultOf(type) : null,
        }, null);
    }

    private object? Bind(ClassBlockParameter parameter, BlockContext context)
    {
        switch (parameter.Kind)
        {
            case ClassBlockParameterKind.Context:
                return context;
            case ClassBlockParameterKind.CancellationToken:
                return context.CancellationToken;
        }

        var name = parameter.ValueName!;
        if (context.Inputs.TryGetValue(name, out var input))
        {
            // Validation refuses this; a plan made without it must not pick one of the two silently.
            if (context.Settings.ContainsKey(name))
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block}: parameter '{parameter.Name}' of {Type.FullName}.{Method.Name} reads '{name}', which is both an upstream "
                    + "block and a with: setting of the block; rename the setting");
            }

            return parameter.HasDefaultValue && IsNull(input.Json) && !input.IsTable
                ? parameter.DefaultValue
                : BlockInputReader.Input(context, name, parameter.Type);
        }

        if (context.Settings.TryGetValue(name, out var setting))
        {
            return parameter.HasDefaultValue && IsNull(setting) ? parameter.DefaultValue : BlockInputReader.Setting(context, name, parameter.Type);
        }

        if (context.Parameters.TryGetValue(name, out var json))
        {
            return parameter.HasDefaultValue && IsNull(json) ? parameter.DefaultValue : BlockInputReader.Parameter(context, name, parameter.Type);
        }

        // Validation turns these names into dependencies, so only a plan made without the class gets here.
        var hint = EditDistance.DidYouMean(name, context.Inputs.Keys.Concat(context.Settings.Keys).Concat(context.Parameters.Keys));
        throw new NonRetryableBlockException(
            $"block {context.Block}: parameter '{parameter.Name}' of {Type.FullName}.{Method.Name} reads '{name}', which is no input "
            + $"of the block ({Names(context.Inputs.Keys)}), no with: setting ({Names(context.Settings.Keys)}) and no run parameter "
            + $"({Names(context.Parameters.Keys)}); {hint}rename the parameter");
    }

    private static bool IsNull(JsonElement value) => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    // The method's declared return type decides, not the runtime type: an async Task method returns a Task<T> subclass.
    private async Task<object?> ResultOfAsync(object? returned)
    {
        var declared = Method.ReturnType;
        if (returned is null)
        {
            return typeof(Task).IsAssignableFrom(declared) || IsValueTask(declared)
                ? throw new InvalidOperationException($"{Type.FullName}.{Method.Name} returned a null {TypeDisplay.Name(declared)}")
                : null;
        }

        if (returned is Task task)
        {
            await task.ConfigureAwait(false);
            return declared.IsGenericType ? declared.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
        }

        if (returned is ValueTask valueTask)
        {
            await valueTask.ConfigureAwait(false);
            return null;
        }

        if (IsValueTask(declared))
        {
            var asTask = (Task)declared.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
            await asTask.ConfigureAwait(false);
            return typeof(Task<>).MakeGenericType(declared.GetGenericArguments()).GetProperty(nameof(Task<int>.Result))!.GetValue(asTask);
        }

        return returned;
    }

    private static bool IsValueTask(Type type) =>
        type == typeof(ValueTask) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));

    private static string Names(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static string Signature(MethodInfo method) =>
        $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => TypeDisplay.Name(p.ParameterType)))})";
}
