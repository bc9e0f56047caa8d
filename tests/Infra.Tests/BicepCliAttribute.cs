namespace Duraflow.Infra.Tests;

/// <summary>Where the build found the Bicep CLI (restored from NuGet), so tests run the same binary the build did.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class BicepCliAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}
