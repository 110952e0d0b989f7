using System.Text.Json.Nodes;

namespace Vtuber.Server.Tests.Support;

/// <summary>
/// A realistic OLV chat_history/ folder as OLV writes it (indent 2, UTF-8, non-ASCII kept): two characters,
/// several histories (one with Hume metadata keys, one that lost its metadata record, one empty), and the kinds of
/// files an import must refuse whole: malformed JSON, a bad record, a path-like name, a file outside any character.
/// </summary>
public sealed class OlvChatHistoryFolder
{
    public const string Mao = "mao_pro_001";
    public const string Shizuku = "shizuku_002";

    public const string Interrupted = "2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    public const string WithHumeMetadata = "2026-01-06_09-00-00_b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    public const string WithoutMetadata = "2026-01-07_08-00-00_c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
    public const string EmptyHistory = "2026-01-08_07-00-00_d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4";
    public const string ShizukuHistory = "2026-01-04_20-00-00_e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    public const string MalformedJson = "2026-01-09_12-00-00_f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6";
    public const string BadRecord = "2026-01-10_12-00-00_0707070707070707070707070707070a";

    private OlvChatHistoryFolder(string root) => Root = root;

    public string Root { get; }

    /// <summary>The files that are valid and must be imported, relative to Root.</summary>
    public static IReadOnlyList<string> ValidFiles { get; } =
    [
        $"{Mao}/{Interrupted}.json", $"{Mao}/{WithHumeMetadata}.json", $"{Mao}/{WithoutMetadata}.json",
        $"{Mao}/{EmptyHistory}.json", $"{Shizuku}/{ShizukuHistory}.json",
    ];

    /// <summary>The files an import must report and skip, relative to Root, with a word their reason contains.</summary>
    public static IReadOnlyDictionary<string, string> InvalidFiles { get; } = new Dictionary<string, string>
    {
        [$"{Shizuku}/{MalformedJson}.json"] = "invalid JSON",
        [$"{Mao}/{BadRecord}.json"] = "content must be a string",
        [$"{Mao}/..\\..\\etc\\passwd.json"] = "history uid",
        ["stray.json"] = "conf_uid folder",
    };

    public static OlvChatHistoryFolder Create(string parent)
    {
        var root = Path.Combine(parent, "chat_history");
        Write(root, Mao, Interrupted, """
            [
              {
                "role": "metadata",
                "timestamp": "2026-01-05T10:00:00"
              },
              {
                "role": "human",
                "timestamp": "2026-01-05T10:00:05",
                "content": "Tell me a long story about the sea.",
                "name": "Human"
              },
              {
                "role": "ai",
                "timestamp": "2026-01-05T10:00:09",
                "content": "Once upon a time, far away",
                "name": "Mao",
                "avatar": "mao.png"
              },
              {
                "role": "system",
                "timestamp": "2026-01-05T10:00:09",
                "content": "[Interrupted by user]"
              }
            ]
            """);
        Write(root, Mao, WithHumeMetadata, """
            [
              {
                "role": "metadata",
                "timestamp": "2026-01-06T09:00:00",
                "resume_id": "4f1c-resume",
                "agent_type": "hume_ai_agent"
              },
              {
                "role": "human",
                "timestamp": "2026-01-06T09:00:02",
                "content": "今日はいい天気ですね",
                "name": "ユーザー"
              },
              {
                "role": "ai",
                "timestamp": "2026-01-06T09:00:04",
                "content": "[joy] そうですね！散歩に行きましょう。",
                "name": "Mao",
                "avatar": ""
              }
            ]
            """);
        Write(root, Mao, WithoutMetadata, """
            [
              {
                "role": "human",
                "timestamp": "2026-01-07T08:00:10",
                "content": "Ça va ? Überraschung!",
                "name": "Human"
              },
              {
                "role": "ai",
                "timestamp": "2026-01-07T08:00:12",
                "content": "Très bien, merci.",
                "name": "Mao",
                "avatar": "mao.png"
              }
            ]
            """);
        Write(root, Mao, EmptyHistory, """
            [
              {
                "role": "metadata",
                "timestamp": "2026-01-08T07:00:00"
              }
            ]
            """);
        Write(root, Shizuku, ShizukuHistory, """
            [
              {
                "role": "metadata",
                "timestamp": "2026-01-04T20:00:00"
              },
              {
                "role": "human",
                "timestamp": "2026-01-04T20:00:01",
                "content": "你好，雫",
                "name": "Human"
              },
              {
                "role": "ai",
                "timestamp": "2026-01-04T20:00:03",
                "content": "你好！",
                "name": "Shizuku",
                "avatar": "shizuku.png"
              }
            ]
            """);
        Write(root, Shizuku, MalformedJson, """
            [
              {
                "role": "human",
                "timestamp": "2026-01-09T12:00:01",
                "content": "cut off mid-wri
            """);
        // The first record is fine: the whole file must still stay out of the journal.
        Write(root, Mao, BadRecord, """
            [
              {"role": "metadata", "timestamp": "2026-01-10T12:00:00"},
              {"role": "human", "timestamp": "2026-01-10T12:00:01", "content": "fine", "name": "Human"},
              {"role": "ai", "timestamp": "2026-01-10T12:00:02", "content": 42, "name": "Mao"}
            ]
            """);
        Write(root, Mao, "..\\..\\etc\\passwd", """[{"role": "human", "timestamp": "2026-01-11T00:00:00", "content": "x"}]""");
        File.WriteAllText(Path.Combine(root, "stray.json"), "[]");
        File.WriteAllText(Path.Combine(root, Mao, "notes.txt"), "not a history");
        return new OlvChatHistoryFolder(root);
    }

    public JsonNode ReadOriginal(string relativePath) => JsonNode.Parse(ReadOriginalText(relativePath))!;

    public string ReadOriginalText(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static void Write(string root, string confUid, string historyUid, string json)
    {
        Directory.CreateDirectory(Path.Combine(root, confUid));
        File.WriteAllText(Path.Combine(root, confUid, historyUid + ".json"), json);
    }
}
