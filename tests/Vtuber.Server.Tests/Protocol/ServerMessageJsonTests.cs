using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vtuber.Protocol;

namespace Vtuber.Server.Tests.Protocol;

public class ServerMessageJsonTests
{
    private static string Json(ServerMessage message) => Encoding.UTF8.GetString(ServerMessageJson.Serialize(message));

    [Fact]
    public void Control_and_full_text_have_type_first_and_text()
    {
        Assert.Equal("""{"type":"control","text":"conversation-chain-start"}""", Json(new Control(Control.ConversationChainStart)));
        Assert.Equal("""{"type":"full-text","text":"Thinking..."}""", Json(new FullText(FullText.Thinking)));
        Assert.Equal("""{"type":"group-update","members":[],"is_owner":false}""", Json(GroupUpdate.Alone));
        Assert.Equal("""{"type":"backend-synth-complete"}""", Json(new BackendSynthComplete()));
    }

    [Fact]
    public void Tool_call_status_has_olvs_fields_in_order_and_its_timestamp_quirk()
    {
        var at = new DateTimeOffset(2026, 2, 11, 21, 14, 30, TimeSpan.FromHours(1)).AddTicks(1234560);
        var message = new ToolCallStatus("call_abc", "get_current_time", "running", "Input: {\"timezone\": \"UTC\"}",
            ToolCallStatus.OlvTimestamp(at), "Mao");

        Assert.Equal(
            """{"type":"tool_call_status","tool_id":"call_abc","tool_name":"get_current_time","status":"running","content":"Input: {\"timezone\": \"UTC\"}","timestamp":"2026-02-11T20:14:30.123456+00:00Z","name":"Mao"}""",
            Json(message));
    }

    [Fact]
    public void Audio_payload_has_the_exact_fields_and_keeps_base64_unescaped()
    {
        var message = new AudioMessage("UklG+/==", [0.5, 1.0], 20, new DisplayTextPayload("[joy] Hi!", "Mao", "mao.png"),
            new ActionsPayload(new JsonArray(3)), Forwarded: false);

        Assert.Equal(
            """{"type":"audio","audio":"UklG+/==","volumes":[0.5,1],"slice_length":20,"display_text":{"text":"[joy] Hi!","name":"Mao","avatar":"mao.png"},"actions":{"expressions":[3]},"forwarded":false}""",
            Json(message));
    }

    [Fact]
    public void Silent_payload_has_null_audio_and_empty_actions_object()
    {
        var message = new AudioMessage(null, [], 20, new DisplayTextPayload("(", "Mao", ""), ActionsPayload.None, false);

        Assert.Equal(
            """{"type":"audio","audio":null,"volumes":[],"slice_length":20,"display_text":{"text":"(","name":"Mao","avatar":""},"actions":{},"forwarded":false}""",
            Json(message));
    }

    [Fact]
    public void Set_model_and_conf_sends_model_info_verbatim_and_omits_client_uid_after_a_switch()
    {
        using var model = JsonDocument.Parse("""{"name":"mao_pro","kScale":0.5,"emotionMap":{"joy":3}}""");

        Assert.Equal(
            """{"type":"set-model-and-conf","model_info":{"name":"mao_pro","kScale":0.5,"emotionMap":{"joy":3}},"conf_name":"mao_pro","conf_uid":"mao_pro_001","client_uid":"u1"}""",
            Json(new SetModelAndConf(model.RootElement, "mao_pro", "mao_pro_001", "u1")));
        Assert.DoesNotContain("client_uid", Json(new SetModelAndConf(model.RootElement, "mao_pro", "mao_pro_001", null)));
    }

    [Fact]
    public void History_records_write_name_and_avatar_only_when_present()
    {
        var list = new HistoryListMessage([
            new HistorySummaryPayload("u", new HistoryRecordPayload("system", "2026-02-10T09:01:12", "[Interrupted by user]", null, null), "2026-02-10T09:01:12"),
        ]);

        Assert.Equal(
            """{"type":"history-list","histories":[{"uid":"u","latest_message":{"role":"system","timestamp":"2026-02-10T09:01:12","content":"[Interrupted by user]"},"timestamp":"2026-02-10T09:01:12"}]}""",
            Json(list));
    }

    [Fact]
    public void Non_ascii_text_is_sent_as_is()
    {
        Assert.Equal("""{"type":"full-text","text":"你好"}""", Json(new FullText("你好")));
    }

    [Fact]
    public void Text_cut_inside_a_surrogate_pair_is_written_with_a_replacement_character_not_an_exception()
    {
        // Server text is built from client text (refusals quote it, histories echo it): a pair cut in half must
        // still serialize, so no writer on the way out can throw on something a client sent.
        var halfAnEmoji = "😀"[..1];

        Assert.Equal("{\"type\":\"error\",\"message\":\"a\\uFFFD\"}", Json(new ErrorMessage("a" + halfAnEmoji)));
        Assert.Equal("{\"type\":\"full-text\",\"text\":\"\\uFFFDb\"}", Json(new FullText("😀"[1..] + "b")));
    }
}

public class AudioFrameJsonTests
{
    public static TheoryData<string, double[], string?, string?> Frames => new()
    {
        { "a sentence with an index expression", [0.25, 1.0, 0.1234567890123], "[joy] Hi!", "3" },
        { "no expression, non-ASCII and quotes", [1.0], "ça \"va\" — 你好\n", null },
        { "a named expression", [0.0, 1.0, 1e-7], "Well…", "smile" },
        { "no display text", [1.0, 0.5], null, null },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void Audio_frame_written_from_the_wav_bytes_equals_the_serialized_message(string because, double[] volumes,
        string? text, string? expression)
    {
        _ = because;
        var wav = new byte[3 * 4096 + 7];
        new Random(volumes.Length).NextBytes(wav);
        var display = text is null ? null : new DisplayTextPayload(text, "Mao", "mao.png");
        var actions = expression is null
            ? ActionsPayload.None
            : new ActionsPayload(int.TryParse(expression, out var index) ? new JsonArray(index) : new JsonArray(expression));

        var expected = ServerMessageJson.Serialize(
            new AudioMessage(Convert.ToBase64String(wav), volumes, 20, display, actions, Forwarded: false));
        var written = AudioFrameJson.Serialize(wav, volumes, 20, display, actions, forwarded: false);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void A_second_frame_on_the_same_thread_carries_nothing_of_a_longer_first_one()
    {
        var longer = AudioFrameJson.Serialize(new byte[9000], [1.0], 20, null, ActionsPayload.None, forwarded: true);
        var shorter = AudioFrameJson.Serialize([1, 2, 3], [1.0], 20, null, ActionsPayload.None, forwarded: false);

        Assert.True(longer.Length > 12000);
        Assert.Equal("""{"type":"audio","audio":"AQID","volumes":[1],"slice_length":20,"display_text":null,"actions":{},"forwarded":false}""",
            Encoding.UTF8.GetString(shorter));
    }
}
