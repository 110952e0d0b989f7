using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vtuber.Server.Tests.Support;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class ConnectAndHandlersTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _server = fixture.Server;

    [Fact]
    public async Task Connect_sequence_is_exactly_olv_with_a_fresh_client_uid()
    {
        await using var client = await _server.ConnectAsync();

        var frames = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            frames.Add(await client.ReceiveAsync());
        }

        Assert.Equal("""{"type":"group-update","members":[],"is_owner":false}""", frames[0].ToJsonString());
        Assert.Equal("""{"type":"full-text","text":"Connection established"}""", frames[1].ToJsonString());
        Assert.Equal("set-model-and-conf", OlvClient.Type(frames[2]));
        Assert.Equal("mao_pro", (string?)frames[2]["conf_name"]);
        Assert.Equal("mao_pro_001", (string?)frames[2]["conf_uid"]);
        Assert.True(Guid.TryParse((string?)frames[2]["client_uid"], out _));
        var modelDict = JsonNode.Parse(File.ReadAllText(Path.Combine(_server.Folder.Root, "model_dict.json")))!.AsArray();
        Assert.True(JsonNode.DeepEquals(modelDict.Single(m => (string?)m!["name"] == "mao_pro"), frames[2]["model_info"]));
        Assert.Equal("""{"type":"group-update","members":[],"is_owner":false}""", frames[3].ToJsonString());
        Assert.Equal("""{"type":"control","text":"start-mic"}""", frames[4].ToJsonString());
    }

    [Fact]
    public async Task Two_clients_get_different_client_uids()
    {
        await using var first = await _server.ConnectAsync();
        await using var second = await _server.ConnectAsync();

        var firstUid = (string?)(await first.ReceiveUntilAsync("set-model-and-conf")).Last()["client_uid"];
        var secondUid = (string?)(await second.ReceiveUntilAsync("set-model-and-conf")).Last()["client_uid"];

        Assert.NotEqual(firstUid, secondUid);
    }

    [Fact]
    public async Task Frontend_open_requests_are_answered_in_order()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "fetch-backgrounds" });
        await client.SendAsync(new { type = "fetch-configs" });
        await client.SendAsync(new { type = "fetch-history-list" });
        await client.SendAsync(new { type = "create-new-history" });

        var backgrounds = await client.ReceiveAsync();
        Assert.Equal("""{"type":"background-files","files":["cityscape.jpeg","moon.png"]}""", backgrounds.ToJsonString());
        var configs = await client.ReceiveAsync();
        Assert.Equal("config-files", OlvClient.Type(configs));
        Assert.Equal("""{"filename":"conf.yaml","name":"mao_pro"}""", configs["configs"]![0]!.ToJsonString());
        Assert.Contains(configs["configs"]!.AsArray(), c => (string?)c!["filename"] == "en_unhelpful_ai.yaml");
        Assert.Equal("""{"type":"history-list","histories":[]}""", (await client.ReceiveAsync()).ToJsonString());
        var created = await client.ReceiveAsync();
        Assert.Equal("new-history-created", OlvClient.Type(created));
        Assert.Matches(new Regex("^\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_[0-9a-f]{32}$"), (string?)created["history_uid"]);
    }

    [Fact]
    public async Task History_requests_are_answered_in_the_order_they_were_sent()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        var expected = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync(new { type = "create-new-history" });
            await client.SendAsync(new { type = "fetch-history-list" });
            expected.Add("new-history-created");
            expected.Add("history-list");
        }

        var replies = new List<string>();
        for (var i = 0; i < expected.Count; i++)
        {
            replies.Add(OlvClient.Type(await client.ReceiveAsync()));
        }

        Assert.Equal(expected, replies);
    }

    [Fact]
    public async Task Heartbeat_request_init_config_and_audio_play_start()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "audio-play-start", display_text = new { text = "Hi", name = "Mao", avatar = "mao.png" }, forwarded = true });
        await client.SendAsync(new { type = "request-init-config", client_id = "proxy" });
        var init = await client.ReceiveAsync();
        Assert.Equal("set-model-and-conf", OlvClient.Type(init)); // audio-play-start produced nothing before it
        Assert.NotNull((string?)init["client_uid"]);
        await client.SendAsync(new { type = "heartbeat" });
        Assert.Equal("""{"type":"heartbeat-ack"}""", (await client.ReceiveAsync()).ToJsonString());
    }

    [Theory]
    [InlineData("{oops", "Invalid JSON")]
    [InlineData("""{"text":"no type"}""", "missing field 'type'")]
    [InlineData("""{"type":"teleport"}""", "unknown message type 'teleport'")]
    [InlineData("""{"type":"text-input","text":["not","a","string"]}""", "field 'text' must be a string")]
    [InlineData("""{"type":"delete-history"}""", "missing field 'history_uid'")]
    public async Task Bad_frames_get_an_error_and_the_connection_stays_up(string frame, string reason)
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendRawAsync(frame);
        var error = await client.ReceiveAsync();

        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains(reason, (string?)error["message"]);
        Assert.Empty(await client.DrainAsync()); // still answering
    }

    [Fact]
    public async Task Binary_frames_are_refused_with_an_error_and_the_connection_stays_up()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendBinaryAsync([1, 2, 3]);

        Assert.Contains("Binary frames are not supported", (string?)(await client.ReceiveAsync())["message"]);
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task Oversized_message_gets_an_error_naming_the_limit_then_close_1009()
    {
        var client = await _server.ConnectPastGreetingAsync();
        await using var _ = client;

        var huge = "{\"type\":\"text-input\",\"text\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";
        await client.SendRawAsync(huge);
        var error = await client.ReceiveAsync();

        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains("max_message_bytes", (string?)error["message"]);
        var closed = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => client.ReceiveAsync());
        Assert.Contains("MessageTooBig", closed.Message);
        Assert.Contains("system_config.websocket.max_message_bytes", closed.Message);
    }

    [Theory]
    [InlineData("""{"type":"text-input","text":"\ud800"}""", "field 'text' is not valid Unicode text")]
    [InlineData("""{"\udfff":0,"type":"heartbeat"}""", "a property name is not valid Unicode text")]
    [InlineData("""{"type":"text-input","text":"x","images":[{"data":"data:image/"}]}""", "images[0].data must be a data:image/")]
    [InlineData("""{"type":"ai-speak-signal","idle_time":1e400}""", "must be a finite number")]
    public async Task Frames_nothing_downstream_could_take_get_an_error_and_the_connection_stays_up(string frame, string reason)
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendRawAsync(frame);
        var error = await client.ReceiveAsync();

        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains(reason, (string?)error["message"]);
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task A_frontend_sized_mic_chunk_is_accepted()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        var samples = string.Join(",", Enumerable.Range(0, 4096).Select(i => (-0.0123456789 * (i % 7)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        await client.SendRawAsync("{\"type\":\"mic-audio-data\",\"audio\":[" + samples + "]}");

        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task Closing_the_socket_stops_the_session()
    {
        var client = await _server.ConnectPastGreetingAsync();
        Assert.True(await _server.SessionCountAsync() >= 1);

        await client.DisposeAsync();

        await Eventually.TrueAsync(async () => await _server.SessionCountAsync() == 0);
    }
}
