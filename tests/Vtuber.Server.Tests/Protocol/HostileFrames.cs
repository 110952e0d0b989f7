using System.Net.WebSockets;
using System.Text;

namespace Vtuber.Server.Tests.Protocol;

/// <summary>One adversarial frame; ExpectedClose is the close code the server must answer it with, if any.</summary>
public sealed record HostileFrame(string Kind, byte[] Payload, WebSocketMessageType Type, WebSocketCloseStatus? ExpectedClose);

/// <summary>
/// Seeded adversarial frames for /client-ws: every client message type (olv-protocol.md 2.4) with wrong field types,
/// lone UTF-16 surrogates, deep nesting, huge numbers, path-like values, values over the input limits, random bytes
/// (text and binary) and frames over max_message_bytes. JSON is written by hand so that escapes such as \ud800 reach
/// the server exactly as a hostile client would send them.
/// </summary>
public sealed class HostileFrames(Random random, int maxMessageBytes, int maxTextChars, int maxImages, int maxImageBytes)
{
    private static readonly (string Type, string[] Fields)[] Messages =
    [
        ("text-input", ["text", "images"]), ("mic-audio-data", ["audio"]), ("mic-audio-end", ["images"]),
        ("raw-audio-data", ["audio"]), ("ai-speak-signal", ["idle_time", "images"]), ("interrupt-signal", ["text"]),
        ("frontend-playback-complete", ["request_id"]), ("audio-play-start", ["display_text", "forwarded"]),
        ("fetch-history-list", []), ("fetch-and-set-history", ["history_uid"]), ("create-new-history", []),
        ("delete-history", ["history_uid"]), ("fetch-configs", []), ("switch-config", ["file"]),
        ("fetch-backgrounds", []), ("request-init-config", ["client_id"]), ("heartbeat", []),
        ("add-client-to-group", ["invitee_uid"]), ("remove-client-from-group", ["target_uid"]), ("request-group-info", []),
    ];

    // JSON string literals as they appear on the wire (escapes kept).
    private static readonly string[] PathLike =
    [
        "\"../../etc/passwd\"", "\"..\\\\..\\\\windows\\\\win.ini\"", "\"/etc/passwd\"", "\"characters/../conf.yaml\"",
        "\"C:\\\\Windows\\\\System32\"", "\"file:///etc/passwd\"", "\"%2e%2e%2f%2e%2e%2fetc%2fpasswd\"",
        "\"....//....//etc/passwd\"", "\"conf.yaml\\u0000.png\"", "\"\\\\\\\\server\\\\share\"", "\"~/.ssh/id_rsa\"",
        "\"2026-02-11_13-14-30_../../../../etc/passwd\"", "\"mao_pro_001/../../x\"",
    ];

    private static readonly string[] LoneSurrogates =
    [
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\udc00b\"", "\"\\ud800\\ud800\"", "\"x\\ud83d\"", "\"\\ude00\\ud83d\"",
        "\"data:image/png;base64,\\ud800AAAA\"", "\"hi \\udbff there\"",
    ];

    private static readonly string[] OtherStrings =
    [
        "\"\"", "\"hello\"", "\"conf.yaml\"", "\"\\u0000\"", "\"\\ud83d\\ude00 ok\"", "\"😀 €\"", "\"\\n\\r\\t\"",
        "\"data:image/png;base64,AAAA\"", "\"data:image/\"", "\"data:image/png;base64,!!!\"",
        "\"data:image/../../etc/passwd;base64,AAAA\"", "\"data:text/html,<script>\"", "\"image/png\"", "\"camera\"",
        "\"2026-02-11_13-14-30_0123456789abcdef0123456789abcdef\"", "\"heartbeat\"", "\"text-input\"",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "0.5", "2", "-0", "1e400", "-1e400", "1e-400", "1.7976931348623157e308", "123456789012345678901234567890",
        new string('9', 5000), "-" + new string('9', 400) + "." + new string('9', 400), "4294967296", "-9223372036854775809",
    ];

    public HostileFrame Next()
    {
        var roll = random.Next(1000);
        return roll switch
        {
            < 300 => Text("wrong-field-types", WrongFieldTypes()),
            < 400 => Text("path-like", PathLikeValues()),
            < 500 => Text("lone-surrogate", LoneSurrogate()),
            < 570 => Text("deep-nesting", DeepNesting()),
            < 640 => Text("huge-numbers", HugeNumbers()),
            < 700 => new HostileFrame("random-binary", RandomBytes(random.Next(0, 4096)), WebSocketMessageType.Binary, null),
            < 760 => Text("random-text", RandomJsonish()),
            < 820 => Text("over-limits", OverLimits()),
            < 990 => Text("valid", Valid()),
            // Not UTF-8 in a text frame: the WebSocket layer itself refuses it (RFC 6455 8.1).
            < 995 => new HostileFrame("invalid-utf8-text", InvalidUtf8(), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData),
            _ => Oversized(),
        };
    }

    private static HostileFrame Text(string kind, string json) =>
        new(kind, Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, null);

    private string WrongFieldTypes()
    {
        var (type, fields) = Pick(Messages);
        var body = new StringBuilder("{\"type\":\"").Append(type).Append('"');
        foreach (var field in fields)
        {
            body.Append(",\"").Append(field).Append("\":").Append(AnyValue(depth: 0));
        }
        if (fields.Length == 0 || random.Next(3) == 0)
        {
            body.Append(",\"extra\":").Append(AnyValue(depth: 0));
        }
        return body.Append('}').ToString();
    }

    private string PathLikeValues()
    {
        var (type, fields) = Pick(Messages.Where(m => m.Fields.Length > 0).ToArray());
        var body = new StringBuilder("{\"type\":\"").Append(type).Append('"');
        foreach (var field in fields)
        {
            var value = field switch
            {
                "images" => $"[{{\"source\":{Pick(PathLike)},\"data\":{Pick(PathLike)},\"mime_type\":{Pick(PathLike)}}}]",
                "audio" => "[0.1," + Pick(PathLike) + "]",
                _ => Pick(PathLike),
            };
            body.Append(",\"").Append(field).Append("\":").Append(value);
        }
        return body.Append('}').ToString();
    }

    private string LoneSurrogate()
    {
        var s = Pick(LoneSurrogates);
        return random.Next(8) switch
        {
            0 => $"{{\"type\":{s}}}",
            1 => $"{{\"type\":\"text-input\",\"text\":{s}}}",
            2 => $"{{\"type\":\"switch-config\",\"file\":{s}}}",
            3 => $"{{\"type\":\"fetch-and-set-history\",\"history_uid\":{s}}}",
            4 => $"{{\"type\":\"interrupt-signal\",\"text\":{s}}}",
            5 => $"{{{s}:1,\"type\":\"heartbeat\"}}",
            6 => $"{{\"type\":\"text-input\",\"text\":\"x\",\"images\":[{{\"source\":{s},\"data\":{s},\"mime_type\":{s}}}]}}",
            _ => $"{{\"type\":\"mic-audio-data\",\"audio\":[0.1],\"note\":{s}}}",
        };
    }

    private string DeepNesting()
    {
        var depth = random.Next(17, 3000);
        var nested = random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        return random.Next(4) switch
        {
            0 => nested,
            1 => $"{{\"type\":\"text-input\",\"text\":{nested}}}",
            2 => $"{{\"type\":\"mic-audio-data\",\"audio\":{nested}}}",
            _ => $"{{\"type\":\"heartbeat\",\"x\":{nested}}}",
        };
    }

    private string HugeNumbers()
    {
        var n = Pick(Numbers);
        return random.Next(6) switch
        {
            0 => $"{{\"type\":\"ai-speak-signal\",\"idle_time\":{n}}}",
            1 => $"{{\"type\":\"mic-audio-data\",\"audio\":[0,{n},0]}}",
            2 => $"{{\"type\":\"raw-audio-data\",\"audio\":[{n}]}}",
            3 => $"{{\"type\":{n}}}",
            4 => $"{{\"type\":\"text-input\",\"text\":{n}}}",
            _ => $"{{\"type\":\"audio-play-start\",\"forwarded\":{n},\"display_text\":{{\"text\":{n}}}}}",
        };
    }

    private string OverLimits()
    {
        var image = $"{{\"source\":\"camera\",\"data\":\"data:image/jpeg;base64,{new string('A', 64)}\",\"mime_type\":\"image/jpeg\"}}";
        return random.Next(5) switch
        {
            0 => $"{{\"type\":\"text-input\",\"text\":\"{new string('x', maxTextChars + 1 + random.Next(100))}\"}}",
            1 => $"{{\"type\":\"interrupt-signal\",\"text\":\"{new string('y', maxTextChars + 1)}\"}}",
            2 => $"{{\"type\":\"text-input\",\"text\":\"look\",\"images\":[{string.Join(",", Enumerable.Repeat(image, maxImages + 1))}]}}",
            3 => $"{{\"type\":\"mic-audio-end\",\"images\":[{{\"data\":\"data:image/png;base64,{new string('A', maxImageBytes + 4)}\"}}]}}",
            _ => $"{{\"type\":\"ai-speak-signal\",\"idle_time\":-1,\"images\":[{string.Join(",", Enumerable.Repeat(image, maxImages + 3))}]}}",
        };
    }

    private string Valid() => random.Next(12) switch
    {
        0 => "{\"type\":\"text-input\",\"text\":\"hello\",\"images\":[]}",
        1 => "{\"type\":\"fetch-history-list\"}",
        2 => "{\"type\":\"create-new-history\"}",
        3 => "{\"type\":\"fetch-configs\"}",
        4 => "{\"type\":\"fetch-backgrounds\"}",
        5 => "{\"type\":\"request-init-config\"}",
        6 => "{\"type\":\"frontend-playback-complete\"}",
        7 => "{\"type\":\"interrupt-signal\",\"text\":\"hel\"}",
        8 => "{\"type\":\"mic-audio-end\",\"images\":[]}",
        9 => "{\"type\":\"switch-config\",\"file\":\"conf.yaml\"}",
        10 => "{\"type\":\"audio-play-start\",\"display_text\":{\"text\":\"Hi\",\"name\":\"Mao\",\"avatar\":\"mao.png\"},\"forwarded\":false}",
        _ => "{\"type\":\"heartbeat\"}",
    };

    private HostileFrame Oversized()
    {
        var size = maxMessageBytes + 1 + random.Next(maxMessageBytes / 2);
        if (random.Next(2) == 0)
        {
            return new HostileFrame("oversized-binary", RandomBytes(size), WebSocketMessageType.Binary, WebSocketCloseStatus.MessageTooBig);
        }
        var json = "{\"type\":\"text-input\",\"text\":\"" + new string('z', size) + "\"}";
        return new HostileFrame("oversized-text", Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, WebSocketCloseStatus.MessageTooBig);
    }

    private string AnyValue(int depth)
    {
        var roll = random.Next(depth > 2 ? 8 : 11);
        return roll switch
        {
            0 => Pick(Numbers),
            1 => Pick(OtherStrings),
            2 => Pick(PathLike),
            3 => Pick(LoneSurrogates),
            4 => "true",
            5 => "false",
            6 => "null",
            7 => "\"" + RandomLetters(random.Next(0, 40)) + "\"",
            8 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => AnyValue(depth + 1))) + "]",
            9 => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 4))
                .Select(i => $"\"{(i == 0 ? "data" : RandomLetters(5))}\":{AnyValue(depth + 1)}")) + "}",
            _ => $"[{{\"source\":{AnyValue(depth + 1)},\"data\":{AnyValue(depth + 1)},\"mime_type\":{AnyValue(depth + 1)}}}]",
        };
    }

    private string RandomJsonish()
    {
        const string alphabet = "{}[]\":,\\ ntrufalse0123456789.-+eE/typeu";
        var chars = new char[random.Next(1, 300)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return random.Next(3) == 0 ? "{\"type\":\"" + new string(chars) : new string(chars);
    }

    private byte[] InvalidUtf8()
    {
        var bytes = RandomBytes(random.Next(2, 512));
        bytes[random.Next(bytes.Length)] = 0xFF; // never valid in UTF-8
        return bytes;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private string RandomLetters(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }
        return new string(chars);
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    public static string Describe(WebSocketCloseStatus? status, string? description) =>
        status is { } s ? $"{(int)s} {s} '{description}'" : $"no close frame ({description})";
}
