using System.Net;
using System.Text.RegularExpressions;
using Duraflow.Tests;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/openapi.json</c>: generated from the endpoints, it lists each one docs/api.md lists, and no other.</summary>
public sealed partial class ApiDocumentTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [GeneratedRegex(@"^\| `(GET|POST|PUT|DELETE) (/api/[^`?]+)(\?[^`]*)?` \|", RegexOptions.Multiline)]
    private static partial Regex EndpointRow();

    [Fact]
    public async Task The_document_lists_exactly_the_endpoints_the_api_docs_list_with_the_list_filters()
    {
        var document = await _project.GetAsync("/api/openapi.json");
        var documented = EndpointRow().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "api.md")))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")
            .ToHashSet(StringComparer.Ordinal);

        var served = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Where(e => !e.StartsWith("OPTIONS ", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        // The document does not describe itself; that it was fetched is its proof.
        served.Add("GET /api/openapi.json");

        Assert.Equal("Duraflow API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(documented.Count >= 21, string.Join(", ", documented));
        Assert.Equal(string.Join("\n", documented.Order(StringComparer.Ordinal)), string.Join("\n", served.Order(StringComparer.Ordinal)));
        var list = document.GetProperty("paths").GetProperty("/api/runs").GetProperty("get");
        Assert.Equal(["pipeline", "status", "from", "to", "limit", "cursor"], list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_document_needs_the_api_key_like_the_rest()
    {
        using var anonymous = _project.Factory.CreateClient();

        var response = await anonymous.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
