using System.Globalization;

namespace Vtuber.Domain.Config;

/// <summary>Reads system_config.proxy and live_config (olv-protocol 9.2, 9.3; the bridge keys beyond OLV are ours).</summary>
internal static class LiveConfigReader
{
    public static ProxyOptions ReadProxy(YamlSection s)
    {
        var d = new ProxyOptions();
        return new ProxyOptions
        {
            MaxQueuedInputs = s.Int("max_queued_inputs", 1, 10_000, "an integer 1..10000") ?? d.MaxQueuedInputs,
            MemberSendTimeoutSeconds = s.Number("member_send_timeout_seconds", WaitBounds.MinSeconds,
                WaitBounds.MaxCallSeconds, $"a number of seconds {WaitBounds.MinSeconds}..{WaitBounds.MaxCallSeconds}")
                ?? d.MemberSendTimeoutSeconds,
        };
    }

    public static LiveConfig Read(YamlSection s, bool enableProxy)
    {
        var d = new LiveConfig();
        var min = Seconds(s, "reconnect_min_seconds", WaitBounds.MinSeconds, 3600) ?? d.ReconnectMinSeconds;
        var max = Seconds(s, "reconnect_max_seconds", WaitBounds.MinSeconds, 3600) ?? d.ReconnectMaxSeconds;
        if (max < min)
            throw s.Invalid("reconnect_max_seconds", max.ToString(CultureInfo.InvariantCulture),
                $"at least reconnect_min_seconds ({min.ToString(CultureInfo.InvariantCulture)})");
        return new LiveConfig
        {
            Bilibili = ReadBilibili(s.Section("bilibili_live"), enableProxy),
            Twitch = ReadTwitch(s.Section("twitch_live"), enableProxy),
            ReconnectMinSeconds = min,
            ReconnectMaxSeconds = max,
        };
    }

    private static BilibiliLiveOptions ReadBilibili(YamlSection s, bool enableProxy)
    {
        var d = new BilibiliLiveOptions();
        var rooms = new List<long>();
        var listed = s.StringList("room_ids") ?? [];
        for (var i = 0; i < listed.Count; i++)
        {
            if (!long.TryParse(listed[i], NumberStyles.None, CultureInfo.InvariantCulture, out var room) || room <= 0)
                throw new ConfigException(s.File, $"{s.KeyPath("room_ids")}[{i}]", listed[i], "a live room number (a positive integer)");
            rooms.Add(room);
        }
        var enabled = Enabled(s, enableProxy, rooms.Count, "room_ids", "at least one room number when enabled is true");
        return new BilibiliLiveOptions
        {
            Enabled = enabled,
            RoomIds = rooms,
            Sessdata = s.String("sessdata") ?? d.Sessdata,
            ApiBaseUrl = (s.HttpUrl("api_base_url") ?? d.ApiBaseUrl).TrimEnd('/'),
            DanmakuUrl = s.Url("danmaku_url", ["ws", "wss"], "an absolute ws(s) URL") ?? d.DanmakuUrl,
            HeartbeatSeconds = Seconds(s, "heartbeat_seconds", 1, 60) ?? d.HeartbeatSeconds,
        };
    }

    private static TwitchLiveOptions ReadTwitch(YamlSection s, bool enableProxy)
    {
        var d = new TwitchLiveOptions();
        var channels = new List<string>();
        var listed = s.ListOrCommaSeparated("channels") ?? [];
        for (var i = 0; i < listed.Count; i++)
        {
            // A login is 1..25 letters, digits and underscores; chat joins it as #login in lower case.
            var login = listed[i].TrimStart('#').ToLowerInvariant();
            if (login.Length is 0 or > 25 || !login.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new ConfigException(s.File, $"{s.KeyPath("channels")}[{i}]", listed[i],
                    "a Twitch channel login (1..25 letters, digits or _, an optional leading #)");
            channels.Add(login);
        }
        var enabled = Enabled(s, enableProxy, channels.Count, "channels", "at least one channel when enabled is true");
        return new TwitchLiveOptions
        {
            Enabled = enabled,
            Channels = channels,
            IrcUrl = s.Url("irc_url", ["ws", "wss"], "an absolute ws(s) URL") ?? d.IrcUrl,
        };
    }

    // A bridge feeds the /proxy-ws session; without the proxy it would have nowhere to send its comments.
    private static bool Enabled(YamlSection s, bool enableProxy, int count, string listKey, string listExpected)
    {
        var enabled = s.Bool("enabled") ?? false;
        if (enabled && !enableProxy)
            throw s.Invalid("enabled", "true", "false unless system_config.enable_proxy is true (a bridge feeds the /proxy-ws session)");
        if (enabled && count == 0)
            throw s.Invalid(listKey, "[]", listExpected);
        return enabled;
    }

    private static double? Seconds(YamlSection s, string key, double min, double max) =>
        s.Number(key, min, max, FormattableString.Invariant($"a number of seconds {min}..{max}"));
}
