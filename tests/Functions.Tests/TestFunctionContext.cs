using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Duraflow.Functions.Tests;

/// <summary>
/// An invocation as the worker hands it to a function: here only its binding data (a queue message's metadata) and its
/// cancellation token matter.
/// </summary>
internal sealed class TestFunctionContext(IServiceProvider services, IReadOnlyDictionary<string, object?> bindingData) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => "test";

    /// <summary>The invocation's token (none unless given), which the worker fires on shutdown or a function timeout.</summary>
    public CancellationToken Cancellation { get; init; }

    public override CancellationToken CancellationToken => Cancellation;

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext { get; } = new Bindings(bindingData);

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    private sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data.ToImmutableDictionary();
    }
}
