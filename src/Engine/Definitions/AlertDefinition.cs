using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>A webhook called when a run reaches one of the listed events.</summary>
/// <param name="On">The events that send this alert.</param>
/// <param name="Webhook">The URL to POST to; may be a template such as <c>{{ secrets.teams_webhook }}</c>.</param>
/// <param name="Message">An optional message template.</param>
/// <param name="Location">Where the alert is declared.</param>
internal sealed record AlertDefinition(IReadOnlyList<AlertEvent> On, string Webhook, string? Message, SourceLocation Location);
