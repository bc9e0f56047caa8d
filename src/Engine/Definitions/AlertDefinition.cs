using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>An endpoint called when a run reaches one of the listed events.</summary>
/// <param name="On">The events that send this alert.</param>
/// <param name="Webhook">
/// The URL to POST to: an <c>https://</c> URL (<c>http://</c> to a loopback host), or a template of <c>secrets.*</c> and
/// <c>env.*</c> only, such as <c>{{ secrets.teams_webhook }}</c>, so no caller can choose where alerts go.
/// </param>
/// <param name="Message">An optional message template: the alert's text.</param>
/// <param name="Location">Where the alert is declared.</param>
/// <param name="Destination">What the URL is, and so the body sent to it.</param>
internal sealed record AlertDefinition(IReadOnlyList<AlertEvent> On, string Webhook, string? Message, SourceLocation Location, AlertDestination Destination = AlertDestination.Webhook);
