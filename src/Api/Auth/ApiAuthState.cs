namespace Duraflow.Api.Auth;

/// <summary>
/// The <see cref="ApiAuthMode"/>, decided once, on first use: when the API's request pipeline is built
/// (<see cref="ApiKeyMiddleware"/> reads it then), which is when a server's listening addresses are known.
/// </summary>
/// <param name="decide">Decides the mode; an exception from it fails the start.</param>
internal sealed class ApiAuthState(Func<ApiAuthMode> decide)
{
    private readonly Lazy<ApiAuthMode> _mode = new(decide);

    /// <summary>A mode fixed in advance.</summary>
    /// <param name="mode">The mode.</param>
    public ApiAuthState(ApiAuthMode mode)
        : this(() => mode)
    {
    }

    /// <summary>The mode.</summary>
    /// <exception cref="InvalidOperationException">The settings leave the API open or are half set (see <see cref="ApiAuthModes.Resolve"/>).</exception>
    public ApiAuthMode Mode => _mode.Value;
}
