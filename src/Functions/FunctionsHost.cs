namespace Duraflow.Functions;

/// <summary>Whether the app runs under the Azure Functions host (as its custom handler) or on its own (<c>duraflow serve</c>).</summary>
internal static class FunctionsHost
{
    /// <summary>The Functions host passes the port it forwards to in this variable.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>True under the Functions host: its timer and queue triggers then call the app, which must not poll or tick itself.</summary>
    public static bool IsActive => Environment.GetEnvironmentVariable(CustomHandlerPortVariable) is { Length: > 0 };
}
