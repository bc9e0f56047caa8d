namespace Duraflow.Functions.Handler;

/// <summary>An invocation body that is not what the function's binding sends; answered with 400.</summary>
internal sealed class InvalidInvocationException(string message) : Exception(message);
