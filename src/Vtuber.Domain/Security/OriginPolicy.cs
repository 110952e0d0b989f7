namespace Vtuber.Domain.Security;

/// <summary>
/// Which browser origins may use the server (system_config.security.allowed_origins). A browser sends Origin on
/// every WebSocket handshake and cross-origin request, so checking it keeps other websites from talking to a
/// server on the user's machine; a request without Origin is not from a web page's script (a tool, a test).
/// The server's own origin (the page it served itself) is always allowed.
/// </summary>
public sealed class OriginPolicy
{
    private readonly IReadOnlyList<OriginPattern> _allowed;
    private readonly string? _serverHost;

    /// <param name="serverHost">system_config.host: a name the server is called by besides localhost and IPs.</param>
    public OriginPolicy(IEnumerable<string> allowedOrigins, string? serverHost = null)
    {
        _allowed = allowedOrigins.Select(value => OriginPattern.Parse(value)
            ?? throw new ArgumentException($"'{value}' is not {OriginPattern.ExpectedForm}", nameof(allowedOrigins))).ToList();
        _serverHost = serverHost?.ToLowerInvariant();
    }

    /// <summary>
    /// DNS rebinding: a website whose name is made to resolve to this machine is, to the browser, the server's own
    /// origin, so its requests carry its name as Host and (for GET) no Origin. Only names the server is known by
    /// pass: an IP address, localhost (browsers resolve it themselves), system_config.host and the hosts of
    /// allowed_origins. A request without Host (HTTP/1.0, not a browser) passes.
    /// </summary>
    /// <param name="hostHeader">The Host header: host[:port].</param>
    public bool AllowsHost(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader)) return true;
        if (!WebOrigin.SplitHostAndPort(hostHeader, out var host, out _)) return false;
        // A browser sends an IPv4 address in dotted form (it rewrites 127.1 and 0x7f.0.0.1), never as a DNS name.
        if (host.StartsWith('[') || (System.Net.IPAddress.TryParse(host, out var ip) && ip.ToString() == host)) return true;
        return host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || host == _serverHost ||
               _allowed.Any(pattern => pattern.Names(host));
    }

    /// <param name="originHeader">The request's Origin header; null or empty when it has none.</param>
    /// <param name="ownOrigin">scheme://host[:port] of the request itself (its Host header); null when unknown.</param>
    public bool Allows(string? originHeader, string? ownOrigin)
    {
        if (string.IsNullOrEmpty(originHeader)) return true;
        if (WebOrigin.Parse(originHeader) is not { } origin) return false;
        return IsListed(origin) || (!origin.IsOpaque && WebOrigin.Parse(ownOrigin) == origin);
    }

    /// <summary>True when an entry of allowed_origins matches (the CORS headers are given to these).</summary>
    public bool IsListed(string originHeader) => WebOrigin.Parse(originHeader) is { } origin && IsListed(origin);

    private bool IsListed(WebOrigin origin) => _allowed.Any(pattern => pattern.Matches(origin));
}
