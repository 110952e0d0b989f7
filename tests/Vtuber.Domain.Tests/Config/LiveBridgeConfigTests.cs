using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class LiveBridgeConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private VtuberConfig Load(string system, string live, List<string>? unknown = null) =>
        ConfigLoader.Load(_folder.Write("conf.yaml",
                "system_config:\n  port: 12393\n" + system + MinimalConfig.Character + "\nlive_config:\n" + live),
            unknown is null ? null : unknown.Add);

    [Fact]
    public void Without_the_sections_the_proxy_is_off_and_no_bridge_runs()
    {
        var config = Load("", "  bilibili_live:\n    room_ids: []\n");

        Assert.False(config.System.EnableProxy);
        Assert.Equal((16, 10.0), (config.System.Proxy.MaxQueuedInputs, config.System.Proxy.MemberSendTimeoutSeconds));
        Assert.False(config.Live.AnyBridge);
        Assert.Equal("https://api.live.bilibili.com", config.Live.Bilibili.ApiBaseUrl);
        Assert.Equal("wss://irc-ws.chat.twitch.tv:443", config.Live.Twitch.IrcUrl);
        Assert.DoesNotContain(config.System.ToolPrompts, p => p.Key == "live_prompt");
    }

    [Fact]
    public void Bridges_are_read_with_their_urls_and_add_the_live_prompt()
    {
        var unknown = new List<string>();
        var config = Load("  enable_proxy: true\n  proxy:\n    max_queued_inputs: 3\n    member_send_timeout_seconds: 2\n",
            """
              reconnect_min_seconds: 0.2
              reconnect_max_seconds: 5
              bilibili_live:
                enabled: true
                room_ids: [21452505, 7777]
                sessdata: 'cookie'
                api_base_url: 'http://127.0.0.1:5000/'
                danmaku_url: 'ws://127.0.0.1:5001/sub'
                heartbeat_seconds: 1
              twitch_live:
                enabled: true
                channels: ['#SomeStreamer', 'other_one']
                irc_url: 'ws://127.0.0.1:5002'

            """, unknown);

        Assert.Empty(unknown);
        Assert.Equal((3, 2.0), (config.System.Proxy.MaxQueuedInputs, config.System.Proxy.MemberSendTimeoutSeconds));
        Assert.Equal((0.2, 5.0), (config.Live.ReconnectMinSeconds, config.Live.ReconnectMaxSeconds));
        var bili = config.Live.Bilibili;
        Assert.Equal((true, "cookie", "http://127.0.0.1:5000", "ws://127.0.0.1:5001/sub", 1.0),
            (bili.Enabled, bili.Sessdata, bili.ApiBaseUrl, bili.DanmakuUrl, bili.HeartbeatSeconds));
        Assert.Equal([21452505L, 7777L], bili.RoomIds);
        Assert.Equal(["somestreamer", "other_one"], config.Live.Twitch.Channels);
        Assert.Equal("ws://127.0.0.1:5002", config.Live.Twitch.IrcUrl);
        Assert.Equal(new KeyValuePair<string, string>("live_prompt", "live_prompt"), config.System.ToolPrompts[^1]);
        // The cookie is an account's login: the config API and logs show it masked.
        Assert.Equal(ConfigSecrets.Mask, (string?)EffectiveConfig.ToJson(config)["live"]!["bilibili"]!["sessdata"]);
    }

    [Theory]
    [InlineData("  enable_proxy: true\n", "  bilibili_live:\n    enabled: true\n    room_ids: ['abc']\n", "live_config.bilibili_live.room_ids[0]")]
    [InlineData("  enable_proxy: true\n", "  bilibili_live:\n    enabled: true\n    room_ids: []\n", "live_config.bilibili_live.room_ids")]
    [InlineData("", "  bilibili_live:\n    enabled: true\n    room_ids: [1]\n", "live_config.bilibili_live.enabled")]
    [InlineData("  enable_proxy: true\n", "  bilibili_live:\n    enabled: true\n    room_ids: [1]\n    danmaku_url: 'http://x'\n", "live_config.bilibili_live.danmaku_url")]
    [InlineData("  enable_proxy: true\n", "  bilibili_live:\n    heartbeat_seconds: 0\n", "live_config.bilibili_live.heartbeat_seconds")]
    [InlineData("  enable_proxy: true\n", "  twitch_live:\n    enabled: true\n    channels: ['no spaces']\n", "live_config.twitch_live.channels[0]")]
    [InlineData("", "  twitch_live:\n    enabled: true\n    channels: ['a']\n", "live_config.twitch_live.enabled")]
    [InlineData("", "  reconnect_min_seconds: 10\n  reconnect_max_seconds: 5\n", "live_config.reconnect_max_seconds")]
    [InlineData("  proxy:\n    max_queued_inputs: 0\n", "  bilibili_live: {}\n", "system_config.proxy.max_queued_inputs")]
    public void A_bad_value_names_its_key(string system, string live, string keyPath)
    {
        var e = Assert.Throws<ConfigException>(() => Load(system, live));

        Assert.Equal(keyPath, e.KeyPath);
    }
}
