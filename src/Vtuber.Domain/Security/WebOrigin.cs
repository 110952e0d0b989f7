using System.Globalization;

namespace Vtuber.Domain.Security;

/// <summary>
/// A browser origin as sent in the Origin header (RFC 6454): <c>null</c> (an opaque origin), or scheme://host[:port]
/// with no path. Scheme and host compare ignoring case; the port is the scheme's default when not written, so
/// <c>http://localhost</c> and <c>http://localhost:80</c> are one origin.
/// </summary>
public sealed record WebOrigin(string Scheme, string Host, int? Port)
{
    /// <summary>The opaque origin: file pages in current Chromium (and so Electron), sandboxed frames, data: URLs.</summary>
    public static readonly WebOrigin Opaque = new("null", "", null);

    public bool IsOpaque => Scheme == "null";

    /// <summary>The origin of a header value, or null when the value is not an origin (such a request is refused).</summary>
    public static WebOrigin? Parse(string? value)
    {
        if (value == "null") return Opaque;
        if (!SplitSchemeAndAuthority(value, out var scheme, out var authority)) return null;
        if (authority.Length == 0)
        {
            // Electron's file pages (before Chromium 92) and custom protocols send an origin without a host.
            return new WebOrigin(scheme, "", null);
        }
        if (!SplitHostAndPort(authority, out var host, out var portText)) return null;
        int? port = DefaultPort(scheme);
        if (portText is not null)
        {
            if (!TryPort(portText, out var explicitPort)) return null;
            port = explicitPort;
        }
        return new WebOrigin(scheme, host, port);
    }

    /// <summary>scheme://authority with a valid scheme and no path, query, fragment or user info.</summary>
    internal static bool SplitSchemeAndAuthority(string? value, out string scheme, out string authority)
    {
        scheme = authority = "";
        if (string.IsNullOrEmpty(value)) return false;
        var separator = value.IndexOf("://", StringComparison.Ordinal);
        if (separator < 1) return false;
        scheme = value[..separator].ToLowerInvariant();
        if (!char.IsAsciiLetter(scheme[0]) || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            return false;
        authority = value[(separator + 3)..];
        return authority.IndexOfAny(['/', '?', '#', '@', ' ', '\\']) < 0 && !authority.Any(char.IsControl);
    }

    /// <summary>host[:port] or [ipv6][:port]; the port text is returned unchecked (the pattern form allows *).</summary>
    internal static bool SplitHostAndPort(string authority, out string host, out string? port)
    {
        port = null;
        if (authority.StartsWith('['))
        {
            var end = authority.IndexOf(']');
            host = end < 0 ? "" : authority[..(end + 1)].ToLowerInvariant();
            if (end < 0 || !System.Net.IPAddress.TryParse(host[1..^1], out var address) ||
                address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                return false;
            var rest = authority[(end + 1)..];
            if (rest.Length == 0) return true;
            if (rest[0] != ':') return false;
            port = rest[1..];
            return true;
        }
        var colon = authority.LastIndexOf(':');
        host = (colon < 0 ? authority : authority[..colon]).ToLowerInvariant();
        port = colon < 0 ? null : authority[(colon + 1)..];
        // Host names as browsers serialise them: ASCII (punycode for IDNs), labels of letters, digits, - and _.
        return host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');
    }

    internal static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    internal static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => null,
    };
}
