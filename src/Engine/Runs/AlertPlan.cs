using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Runs;

/// <summary>
/// An alert as a run pins it: the events that send it, where (a URL or a template of secrets and environment
/// variables, rendered when it is sent) and its text. Pinned with the plan, so a run alerts as its definition said when
/// it started.
/// </summary>
/// <param name="On">The events.</param>
/// <param name="Destination">The kind of endpoint, and so the body.</param>
/// <param name="Url">The URL, or its template.</param>
/// <param name="Message">The text's template, or null.</param>
internal sealed record AlertPlan(IReadOnlyList<AlertEvent> On, AlertDestination Destination, string Url, string? Message)
{
    /// <summary>The plan of <paramref name="definition"/>.</summary>
    public static AlertPlan Of(AlertDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new AlertPlan([.. definition.On], definition.Destination, definition.Webhook, definition.Message);
    }
}
