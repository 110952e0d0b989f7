namespace Vtuber.Domain.Security;

/// <summary>
/// One entry of system_config.security.allowed_origins: an exact origin (<c>https://vtuber.example.com</c>,
/// <c>http://192.168.1.5:12393</c>), an origin on any port (<c>http://localhost:*</c>), or one of the desktop
/// app's origins: <c>null</c> (opaque), <c>file://</c> and <c>app://</c> (any origin of that scheme).
/// </summary>
public sealed class OriginPattern
{
    public const string ExpectedForm =
        "an origin scheme://host or scheme://host:port (no path), scheme://host:* for any port, or null, file:// or app://";

    // Schemes allowed without a host: the desktop app's own pages. An empty host for http(s) would mean every website.
    private static readonly string[] HostlessSchemes = ["file", "app"];

    private readonly WebOrigin? _exact;
    private readonly string _scheme;
    private readonly string? _host;

    /// <param name="host">null: any origin of the scheme; otherwise this host on any port.</param>
    private OriginPattern(WebOrigin? exact, string scheme, string? host)
    {
        _exact = exact;
        _scheme = scheme;
        _host = host;
    }

    /// <summary>The pattern of a config value, or null when the value has none of the accepted forms.</summary>
    public static OriginPattern? Parse(string value)
    {
        if (value == "null") return new OriginPattern(WebOrigin.Opaque, "null", null);
        if (!WebOrigin.SplitSchemeAndAuthority(value, out var scheme, out var authority)) return null;
        if (authority.Length == 0)
        {
            return HostlessSchemes.Contains(scheme) && value.Length == scheme.Length + 3
                ? new OriginPattern(null, scheme, null)
                : null;
        }
        if (!WebOrigin.SplitHostAndPort(authority, out var host, out var portText)) return null;
        if (portText == "*") return new OriginPattern(null, scheme, host);
        return WebOrigin.Parse(value) is { } exact ? new OriginPattern(exact, scheme, host) : null;
    }

    /// <summary>True when the pattern names this host (on any scheme or port): the server may be called by it.</summary>
    public bool Names(string host) => (_exact is { IsOpaque: false } ? _exact.Host : _host) == host;

    public bool Matches(WebOrigin origin)
    {
        if (_exact is not null) return origin == _exact;
        return origin.Scheme == _scheme && (_host is null || origin.Host == _host);
    }
}
