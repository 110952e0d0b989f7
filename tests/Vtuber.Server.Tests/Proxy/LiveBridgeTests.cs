using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Proxy;

/// <summary>
/// The live-chat bridges in the real server against loopback fakes of Bilibili (HTTP + danmaku WebSocket with
/// compressed packets) and Twitch chat (IRC over WebSocket): a viewer's comment becomes a turn of the /proxy-ws
/// session whose frames reach the proxy clients.
/// </summary>
public sealed class LiveBridgeTests
{
    private const long Room = 555;

    private static async Task<RunningServer> StartAsync(string liveYaml, FakeOpenAiServer llm, FakeSpeechServer tts) =>
        await RunningServer.StartAsync(ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: "  enable_proxy: true",
            extraCharacterYaml: "live_config:\n  reconnect_min_seconds: 0.2\n  reconnect_max_seconds: 1\n" + liveYaml), llm, tts);

    private static string Bilibili(FakeBilibiliServer fake) =>
        $"  bilibili_live:\n    enabled: true\n    room_ids: [{Room}]\n    api_base_url: '{fake.ApiBaseUrl}'\n" +
        $"    danmaku_url: '{fake.DanmakuUrl}'\n    heartbeat_seconds: 1\n";

    private static async Task<OlvClient> JoinAsync(RunningServer server)
    {
        var client = await OlvClient.ConnectAsync(server.BaseUri, "/proxy-ws");
        await client.ReceiveUntilAsync("set-model-and-conf");
        return client;
    }

    private static async Task AssertTurnAsync(OlvClient client, string comment, string reply)
    {
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        Assert.Equal([$"user-input-transcription({comment})", "control(conversation-chain-start)", "full-text(Thinking...)",
            $"audio({reply})", "backend-synth-complete"], frames.SkipWhile(f => OlvClient.Type(f) != "user-input-transcription")
            .Select(OlvClient.Describe));
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    [Fact]
    public async Task A_danmaku_becomes_a_turn_of_the_proxy_session_with_the_live_prompt()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var bilibili = await FakeBilibiliServer.StartAsync();
        await using var server = await StartAsync(Bilibili(bilibili), llm, tts);
        await using var client = await JoinAsync(server);
        await Eventually.TrueAsync(() => bilibili.Joins >= 1, TimeSpan.FromSeconds(30), "the bridge joins the room with the token");
        llm.ReplyTo("你好主播", new FakeReply(["Hello viewer!"]));
        llm.ReplyTo("second comment", new FakeReply(["Got it."]));

        await bilibili.PushAsync(FakeBilibiliServer.Brotli(FakeBilibiliServer.Danmaku("viewer", "你好主播")));

        await AssertTurnAsync(client, "你好主播", "Hello viewer!");
        var system = (string?)llm.Requests[^1].Messages[0]!["content"];
        Assert.Contains("You are live on a streaming platform", system);

        await bilibili.PushAsync(FakeBilibiliServer.Zlib(FakeBilibiliServer.Danmaku("other", "second comment")));
        await AssertTurnAsync(client, "second comment", "Got it.");
        // The heartbeat runs (every heartbeat_seconds) and is answered.
        await Eventually.TrueAsync(() => bilibili.Heartbeats >= 2, because: "heartbeats every second");
    }

    [Fact]
    public async Task A_malformed_packet_is_skipped_and_the_bridge_stays_connected()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var bilibili = await FakeBilibiliServer.StartAsync();
        await using var server = await StartAsync(Bilibili(bilibili), llm, tts);
        await using var client = await JoinAsync(server);
        await Eventually.TrueAsync(() => bilibili.Joins >= 1, TimeSpan.FromSeconds(30), "the bridge joins the room");
        llm.ReplyTo("after the garbage", new FakeReply(["Still here."]));

        await bilibili.PushAsync(FakeBilibiliServer.Packet(5, [0xde, 0xad, 0xbe, 0xef], version: 2)); // not zlib
        await bilibili.PushAsync([0, 0, 0x27, 0x10, 0, 16, 0, 0, 0, 0, 0, 5]); // a header cut short
        await bilibili.PushAsync(FakeBilibiliServer.Packet(5, "{\"cmd\":\"DANMU_MSG\",\"info\":"u8.ToArray(), version: 0));
        await bilibili.PushAsync(FakeBilibiliServer.Danmaku("viewer", "after the garbage"));

        await AssertTurnAsync(client, "after the garbage", "Still here.");
        Assert.Equal(1, bilibili.Joins);
    }

    [Fact]
    public async Task A_bridge_that_cannot_connect_retries_with_backoff_without_holding_up_the_server()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var bilibili = await FakeBilibiliServer.StartAsync();
        bilibili.FailRoomInitCalls = 3;
        await using var server = await StartAsync(Bilibili(bilibili), llm, tts);

        // The server is up and serves while the bridge is still failing.
        await using (var direct = await server.ConnectPastGreetingAsync())
        {
            Assert.Empty(await direct.DrainAsync());
        }
        await Eventually.TrueAsync(() => bilibili.Joins >= 1, TimeSpan.FromSeconds(30), "joined after three failures");
        var calls = bilibili.RoomInitCalls;
        var gaps = calls.Zip(calls.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        // 0.2 s, then doubling: each wait at least as long as the backoff asks (timer slack allowed below).
        Assert.True(gaps[0] >= 0.18 && gaps[1] >= 0.38 && gaps[2] >= 0.78, string.Join(", ", gaps));

        // A dropped connection is joined again.
        var joined = bilibili.Joins;
        bilibili.DropAll();
        await Eventually.TrueAsync(() => bilibili.Joins > joined, TimeSpan.FromSeconds(30), "joined again after the drop");
        await using var client = await JoinAsync(server);
        llm.ReplyTo("back again", new FakeReply(["Welcome back."]));
        await bilibili.PushAsync(FakeBilibiliServer.Danmaku("viewer", "back again"));
        await AssertTurnAsync(client, "back again", "Welcome back.");
    }

    [Fact]
    public async Task A_twitch_chat_message_becomes_a_turn_and_ping_is_answered()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var twitch = await FakeTwitchChatServer.StartAsync();
        await using var server = await StartAsync(
            $"  twitch_live:\n    enabled: true\n    channels: ['#SomeStreamer', 'second']\n    irc_url: '{twitch.IrcUrl}'\n", llm, tts);
        await using var client = await JoinAsync(server);
        await Eventually.TrueAsync(() => twitch.Channels.Count >= 2, TimeSpan.FromSeconds(30), "the bridge joins both channels");
        Assert.Equal(["#somestreamer", "#second"], twitch.Channels.Take(2));
        llm.ReplyTo("hi from twitch", new FakeReply(["Hi chat!"]));

        await twitch.PushAsync("PING :tmi.twitch.tv");
        await twitch.PushAsync("\u0001garbage that is not irc\r\n@only-tags");
        await twitch.PushAsync(FakeTwitchChatServer.PrivMsg("somestreamer", "viewer1", "Viewer1", "hi from twitch"));

        await AssertTurnAsync(client, "hi from twitch", "Hi chat!");
        await Eventually.TrueAsync(() => twitch.Pongs == 1, because: "PING is answered with PONG");
    }
}
