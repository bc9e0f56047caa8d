using System.Net;
using System.Text.RegularExpressions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;

namespace Duraflow.Engine.Projects;

/// <summary>Reads duraflow.yaml's <c>ai: { provider, endpoint, model, api_key }</c>.</summary>
internal static partial class AiSettingsReader
{
    private static readonly string[] Keys = ["provider", "endpoint", "model", "api_key"];
    private static readonly string[] Providers = ["openai", "azure_openai"];
    private static readonly (string Suffix, string Up)[] AzurePaths = [("/openai/v1/", "../../"), ("/openai/", "../")];
    private const string Example = "ai: { provider: openai, model: gpt-4.1, api_key: \"{{ secrets.openai_api_key }}\" }";

    /// <summary>The settings, or null (with errors reported) when the section is not usable.</summary>
    public static AiSettings? Read(LoadContext context, YamlDotNet.RepresentationModel.YamlNode node)
    {
        if (context.Map(node, "'ai'", Keys) is not { } map)
        {
            return null;
        }

        var ok = true;
        AiProvider? provider = null;
        if (map["provider"] is not { } providerNode)
        {
            context.Error(DiagnosticCodes.MissingKey, node, $"'ai' needs 'provider': openai or azure_openai, such as {Example}");
            ok = false;
        }
        else if (context.Choice(providerNode, Providers, "ai 'provider'") is { } index)
        {
            provider = (AiProvider)index;
        }
        else
        {
            ok = false;
        }

        string? model = null;
        if (map["model"] is not { } modelNode)
        {
            context.Error(DiagnosticCodes.MissingKey, node, $"'ai' needs 'model': the model's name (the deployment's name on Azure OpenAI), such as {Example}");
            ok = false;
        }
        else if (context.String(modelNode, "ai 'model'") is not { } text)
        {
            ok = false;
        }
        else if (text.Trim().Length is > 0 and <= 200 && !text.Any(char.IsControl))
        {
            model = text.Trim();
        }
        else
        {
            context.Error(DiagnosticCodes.BadValue, modelNode, "ai 'model' must be a model's name of 1 to 200 characters on one line, such as gpt-4.1");
            ok = false;
        }

        var endpoint = ReadEndpoint(context, map, node, provider, ref ok);
        var key = ReadKey(context, map, endpoint, ref ok);
        return ok && provider is { } p && endpoint is not null && model is not null
            ? new AiSettings { Provider = p, Endpoint = endpoint, Model = model, ApiKey = key }
            : null;
    }

    // https anywhere; http only to this machine (a local model server), so a key never crosses a network in clear.
    private static Uri? ReadEndpoint(LoadContext context, YamlMap map, YamlDotNet.RepresentationModel.YamlNode section, AiProvider? provider, ref bool ok)
    {
        if (map["endpoint"] is not { } endpointNode)
        {
            if (provider == AiProvider.AzureOpenAi)
            {
                context.Error(DiagnosticCodes.MissingKey, section, "'ai' with provider azure_openai needs 'endpoint': the resource's URL, such as https://myresource.openai.azure.com");
                ok = false;
            }

            return AiSettings.OpenAiEndpoint;
        }

        if (context.String(endpointNode, "ai 'endpoint'") is not { } text)
        {
            ok = false;
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsThisMachine(uri)))
            || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            context.Error(DiagnosticCodes.BadValue, endpointNode,
                $"ai 'endpoint' '{text}' must be an https:// URL without a query or user name (http:// only to this machine, such as http://localhost:11434/v1), such as https://myresource.openai.azure.com");
            ok = false;
            return null;
        }

        // The client appends paths such as chat/completions to the base, which must end in '/' to keep its last segment.
        var based = uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

        // Azure OpenAI's base is the resource; its v1 path is added when the client opens, so a URL copied with the
        // path (from the portal's samples) is taken back to the resource rather than doubled.
        if (provider == AiProvider.AzureOpenAi)
        {
            foreach (var (suffix, up) in AzurePaths)
            {
                if (based.AbsolutePath.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return new Uri(based, up);
                }
            }
        }

        return based;
    }

    private static (string Root, string Name)? ReadKey(LoadContext context, YamlMap map, Uri? endpoint, ref bool ok)
    {
        if (map["api_key"] is not { } keyNode)
        {
            if (endpoint is not null && !IsThisMachine(endpoint))
            {
                context.Error(DiagnosticCodes.MissingKey, map.Node,
                    "'ai' needs 'api_key' for a model served elsewhere than this machine: a reference such as \"{{ secrets.openai_api_key }}\" or \"{{ env.OPENAI_API_KEY }}\"");
                ok = false;
            }

            return null;
        }

        if (context.String(keyNode, "ai 'api_key'") is not { } text)
        {
            ok = false;
            return null;
        }

        var match = KeyReference().Match(text);
        if (!match.Success)
        {
            // A literal key in duraflow.yaml would be committed with the project.
            context.Error(DiagnosticCodes.BadValue, keyNode,
                "ai 'api_key' must be a reference, \"{{ secrets.NAME }}\" (secrets.local.yaml, DURAFLOW_SECRET_NAME or Key Vault) or \"{{ env.NAME }}\", never the key itself, so that no key is written in duraflow.yaml");
            ok = false;
            return null;
        }

        return (match.Groups["root"].Value, match.Groups["name"].Value);
    }

    /// <summary>True for a loopback host: a model served on this machine, reached without a network.</summary>
    public static bool IsThisMachine(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    [GeneratedRegex(@"^\{\{\s*(?<root>secrets|env)\.(?<name>[A-Za-z_][A-Za-z0-9_\-]{0,126})\s*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyReference();
}
