namespace Vtuber.Domain.Live;

/// <summary>
/// One line of Twitch chat's IRC (RFC 1459 with IRCv3 tags): "@tags :prefix COMMAND params :trailing". Twitch sends
/// several lines per WebSocket message, each ending in CRLF.
/// </summary>
public sealed record TwitchIrcLine(IReadOnlyDictionary<string, string> Tags, string? Prefix, string Command,
    IReadOnlyList<string> Parameters)
{
    /// <summary>The lines of one WebSocket message; blank ones dropped.</summary>
    public static IEnumerable<string> Split(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    /// <summary>Null when the line is not IRC (no command).</summary>
    public static TwitchIrcLine? Parse(string line)
    {
        var rest = line.AsSpan();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rest.StartsWith("@"))
        {
            var end = rest.IndexOf(' ');
            if (end < 0) return null;
            foreach (var tag in rest[1..end].ToString().Split(';'))
            {
                var eq = tag.IndexOf('=');
                if (eq > 0) tags[tag[..eq]] = Unescape(tag[(eq + 1)..]);
                else if (tag.Length > 0) tags[tag] = "";
            }
            rest = rest[(end + 1)..].TrimStart(' ');
        }
        string? prefix = null;
        if (rest.StartsWith(":"))
        {
            var end = rest.IndexOf(' ');
            if (end < 0) return null;
            prefix = rest[1..end].ToString();
            rest = rest[(end + 1)..].TrimStart(' ');
        }
        var parameters = new List<string>();
        string? command = null;
        while (rest.Length > 0)
        {
            if (command is not null && rest[0] == ':')
            {
                parameters.Add(rest[1..].ToString());
                break;
            }
            var end = rest.IndexOf(' ');
            var word = (end < 0 ? rest : rest[..end]).ToString();
            if (command is null) command = word;
            else parameters.Add(word);
            rest = end < 0 ? [] : rest[(end + 1)..].TrimStart(' ');
        }
        return command is { Length: > 0 } && command.All(c => char.IsAsciiLetterOrDigit(c))
            ? new TwitchIrcLine(tags, prefix, command, parameters)
            : null;
    }

    /// <summary>A PRIVMSG to a channel: who wrote (display-name tag, else the nick of the prefix) and what.</summary>
    public (string Channel, string Author, string Text)? ChatMessage()
    {
        if (Command != "PRIVMSG" || Parameters.Count < 2) return null;
        var nick = Prefix is { } p && p.IndexOf('!') is var bang and > 0 ? p[..bang] : Prefix ?? "";
        var author = Tags.TryGetValue("display-name", out var shown) && shown.Length > 0 ? shown : nick;
        return (Parameters[0].TrimStart('#'), author, Parameters[1]);
    }

    // IRCv3 tag values escape ';', ' ', '\', CR and LF.
    private static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                if (value[i] != '\\') text.Append(value[i]);
                continue;
            }
            text.Append(value[++i] switch { ':' => ';', 's' => ' ', 'r' => '\r', 'n' => '\n', var c => c });
        }
        return text.ToString();
    }
}
