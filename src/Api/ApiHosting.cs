namespace Duraflow.Api;

/// <summary>
/// What hosts the API, told by the host when it registers it (<see cref="Setup.ApiSetup.AddDuraflowApi"/>): on its own
/// (<c>duraflow serve</c>, tests), the app ticks schedules, watches its folder and polls the store's queues itself;
/// under the Azure Functions host, the host's timer and queue functions deliver that work, the app is on the internet
/// (so its auth settings must close it, <see cref="Auth.ApiAuthModes"/>), and its session cookies are always Secure.
/// </summary>
/// <param name="UnderFunctionsHost">True in the Azure Functions app.</param>
internal sealed record ApiHosting(bool UnderFunctionsHost);
