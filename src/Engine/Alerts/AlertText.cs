using System.Text.Json;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Alerts;

/// <summary>
/// Renders an alert's destination and message when it is sent. A destination reads <c>secrets.*</c> and <c>env.*</c>
/// only (the reader refuses anything else); a message reads the run (<c>run.id</c>, <c>run.pipeline</c>,
/// <c>run.trigger</c>, <c>run.scheduled_time</c>, <c>run.started_at</c>), its parameters (secret ones as <c>***</c>) and
/// its trigger's values (the reader refuses the rest).
/// </summary>
internal static class AlertText
{
    /// <summary>What a secret parameter reads as in a message.</summary>
    public const string Masked = "***";

    /// <summary>The text with its templates filled in.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="state">The run.</param>
    /// <param name="secretParameters">The parameters declared secret, masked in the text.</param>
    /// <param name="secret">Reads a secret by name (the project's secret providers).</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="cancellationToken">Stops reading secrets.</param>
    public static async Task<string> RenderAsync(
        string text, RunState state, IReadOnlyList<string>? secretParameters, Func<string, CancellationToken, Task<string>> secret,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(environment);

        // Secrets are read before rendering, which is synchronous; only those the text names.
        var secrets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in TemplateScanner.Scan(text, values: false).References.Where(r => r.Root == "secrets").Select(r => r.Name).Distinct(StringComparer.Ordinal))
        {
            secrets[name] = JsonSerializer.SerializeToElement(await secret(name, cancellationToken).ConfigureAwait(false));
        }

        var run = RunTemplateValues.Of(state);
        JsonElement? Resolve(string rootAndName)
        {
            var dot = rootAndName.IndexOf('.', StringComparison.Ordinal);
            var (root, name) = dot < 0 ? (rootAndName, "") : (rootAndName[..dot], rootAndName[(dot + 1)..]);
            return root switch
            {
                "secrets" => secrets.TryGetValue(name, out var value) ? value : null,
                "env" => environment(name) is { } value ? JsonSerializer.SerializeToElement(value) : null,
                "run" => run.TryGetValue(name, out var value) ? value : null,
                "params" when secretParameters?.Contains(name, StringComparer.Ordinal) == true => JsonSerializer.SerializeToElement(Masked),
                "params" => state.Parameters.TryGetValue(name, out var value) ? value : null,
                "trigger" => state.TriggerValues.TryGetValue(name, out var value) ? value : null,
                _ => null,
            };
        }

        return TemplateRenderer.Render(text, expression => TemplateExpression.AsText(expression.Evaluate(Resolve)));
    }
}
