using System.Text;
using System.Text.Json;
using Vtuber.Domain.History;

namespace Vtuber.Domain.Tests.History;

public sealed class OlvHistoryFileTests
{
    private const string Conf = "mao_pro_001";
    private const string Uid = "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    [Fact]
    public void Metadata_timestamp_is_the_creation_time_and_its_extra_keys_are_kept_in_order()
    {
        var parsed = OlvHistoryFile.Parse(Conf, Uid, """
            [{"role":"metadata","timestamp":"2026-02-11T13:14:30","resume_id":"r-1","agent_type":"hume_ai_agent","n":{"a":[1]}},
             {"role":"human","timestamp":"2026-02-11T13:14:31","content":"hi","name":"Human"},
             {"role":"ai","timestamp":"2026-02-11T13:14:32","content":"yo","name":"Mao","avatar":""},
             {"role":"system","timestamp":"2026-02-11T13:14:32","content":"[Interrupted by user]","name":null}]
            """);

        var history = Assert.IsType<ImportedHistory>(parsed.History);
        Assert.Equal("2026-02-11T13:14:30", history.Created);
        Assert.Equal(["resume_id", "agent_type", "n"], history.Metadata.Keys);
        Assert.Equal("""{"a":[1]}""", history.Metadata["n"].GetRawText());
        Assert.Equal(
        [
            new ChatRecord(ChatRecord.Human, "2026-02-11T13:14:31", "hi", "Human"),
            new ChatRecord(ChatRecord.Ai, "2026-02-11T13:14:32", "yo", "Mao", ""),
            new ChatRecord(ChatRecord.System, "2026-02-11T13:14:32", ChatRecord.InterruptedMarker),
        ], history.Records);
    }

    [Fact]
    public void A_file_without_metadata_was_created_when_its_uid_says()
    {
        var history = OlvHistoryFile.Parse(Conf, Uid, """[{"role":"human","timestamp":"2026-02-11T15:00:00","content":"hi"}]""").History!;

        Assert.Equal("2026-02-11T13:14:30", history.Created);
        Assert.Empty(history.Metadata);
    }

    [Theory]
    [InlineData("[{\"role\":\"human\",", "invalid JSON")]
    [InlineData("{\"role\":\"human\"}", "expected a JSON array")]
    [InlineData("[42]", "record 1: expected an object")]
    [InlineData("[{\"timestamp\":\"t\",\"content\":\"c\"}]", "record 1: missing role")]
    [InlineData("[{\"role\":\"human\",\"timestamp\":\"t\"}]", "record 1 (human): has no content")]
    [InlineData("[{\"role\":\"human\",\"content\":\"c\"}]", "record 1 (human): has no timestamp")]
    [InlineData("[{\"role\":\"ai\",\"timestamp\":\"t\",\"content\":\"c\",\"avatar\":1}]", "record 1 (ai): avatar must be a string")]
    [InlineData("[{\"role\":\"user\",\"timestamp\":\"t\",\"content\":\"c\"}]", "unknown role 'user'")]
    [InlineData("[{\"role\":\"human\",\"timestamp\":\"t\",\"content\":\"c\"},{\"role\":\"metadata\",\"timestamp\":\"t\"}]", "record 2: a metadata record is only allowed first")]
    [InlineData("[{\"role\":\"metadata\"}]", "metadata has no timestamp")]
    public void A_bad_file_is_refused_whole_with_the_reason(string json, string reason)
    {
        var parsed = OlvHistoryFile.Parse(Conf, Uid, json);

        Assert.Null(parsed.History);
        Assert.Contains(reason, parsed.Error);
    }

    [Theory]
    [InlineData("..", Uid)]
    [InlineData("a|b", Uid)]
    [InlineData(Conf, "../2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData(Conf, "history")]
    public void Folder_and_file_names_must_be_a_conf_uid_and_a_history_uid(string confUid, string historyUid)
    {
        Assert.Null(OlvHistoryFile.Parse(confUid, historyUid, "[]").History);
    }

    [Fact]
    public void Written_file_is_olvs_json_with_metadata_first_and_name_avatar_only_when_set()
    {
        using var extra = JsonDocument.Parse("""{"agent_type":"hume_ai_agent"}""");
        var history = new StoredHistory(Conf, Uid, "2026-02-11T13:14:30",
            new Dictionary<string, JsonElement> { ["agent_type"] = extra.RootElement.GetProperty("agent_type") },
            [new ChatRecord(ChatRecord.Human, "2026-02-11T13:14:31", "こんにちは \"quoted\"", "Human"),
             new ChatRecord(ChatRecord.System, "2026-02-11T13:14:32", ChatRecord.InterruptedMarker)]);

        var text = Encoding.UTF8.GetString(OlvHistoryFile.Write(history));

        Assert.Equal("""
            [
              {
                "role": "metadata",
                "timestamp": "2026-02-11T13:14:30",
                "agent_type": "hume_ai_agent"
              },
              {
                "role": "human",
                "timestamp": "2026-02-11T13:14:31",
                "content": "こんにちは \"quoted\"",
                "name": "Human"
              },
              {
                "role": "system",
                "timestamp": "2026-02-11T13:14:32",
                "content": "[Interrupted by user]"
              }
            ]
            """, text);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_not_replacement_characters()
    {
        Assert.ThrowsAny<DecoderFallbackException>(() => OlvHistoryFile.ReadText([(byte)'[', 0xC3, 0x28, (byte)']']));
        Assert.Equal("[]", OlvHistoryFile.ReadText([0xEF, 0xBB, 0xBF, (byte)'[', (byte)']']));
    }
}
