using System.Text.Json;
using System.Text.Unicode;

namespace Vtuber.Protocol;

/// <summary>Either a parsed message or a clear reason why the frame was refused (sent back as an error frame).</summary>
public readonly record struct ParseResult(ClientMessage? Message, string? Error)
{
    public static ParseResult Ok(ClientMessage message) => new(message, null);
    public static ParseResult Fail(string error) => new(null, error);
}

/// <summary>
/// Turns one text frame into a <see cref="ClientMessage"/>. Unlike OLV (which logs and ignores bad frames) every
/// refusal has a reason, so the client gets an error frame and the connection stays up.
/// </summary>
public static class ClientMessageParser
{
    // Identifiers (history uids, character file names, image sources and types) are short by nature; a longer one
    // is refused before it reaches a lookup or an error message.
    private const int MaxIdentifierChars = 256;
    private const int MaxDepth = 16;

    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json, ClientMessageLimits? limits = null)
    {
        limits ??= ClientMessageLimits.Default;
        // The WebSocket layer refuses invalid UTF-8 in text frames already (close 1007); this keeps the parser total
        // for any caller. System.Text.Json would only notice it when a string is read, with InvalidOperationException.
        if (!Utf8.IsValid(utf8Json))
        {
            return ParseResult.Fail("Invalid message: the frame is not valid UTF-8 text");
        }
        if (AudioFrame(utf8Json) is { } audioFrame)
        {
            return audioFrame;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return ParseResult.Fail("Invalid JSON: empty message");
            }
            document = parsed;
        }
        catch (JsonException e)
        {
            return ParseResult.Fail($"Invalid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ParseResult.Fail($"Invalid message: expected a JSON object, got {Describe(root.ValueKind)}");
            }
            if (!root.TryGetProperty("type", out var typeElement))
            {
                return ParseResult.Fail("Invalid message: missing field 'type'");
            }
            if (typeElement.ValueKind != JsonValueKind.String)
            {
                return ParseResult.Fail($"Invalid message: field 'type' must be a string, got {Describe(typeElement.ValueKind)}");
            }
            string type;
            try
            {
                type = StringOf(typeElement, "type", MaxIdentifierChars);
            }
            catch (FieldException e)
            {
                return ParseResult.Fail($"Invalid message: {e.Message}");
            }
            try
            {
                return ParseResult.Ok(ParseBody(type, root, limits));
            }
            catch (FieldException e)
            {
                return ParseResult.Fail($"Invalid '{Printable(type)}' message: {e.Message}");
            }
        }
    }

    private static ClientMessage ParseBody(string type, JsonElement root, ClientMessageLimits limits) => type switch
    {
        "text-input" => new TextInput(Text(root, "text", limits), Images(root, limits)),
        "mic-audio-end" => new MicAudioEnd(Images(root, limits)),
        "ai-speak-signal" => new AiSpeakSignal(OptionalNumber(root, "idle_time") ?? -1, Images(root, limits)),
        // The frontend always sends text; a proxy or script may omit it, which means "heard nothing".
        "interrupt-signal" => new InterruptSignal(OptionalText(root, "text", limits) ?? ""),
        "frontend-playback-complete" => new FrontendPlaybackComplete(),
        "audio-play-start" => new AudioPlayStart(DisplayText(root, limits)),
        "fetch-history-list" => new FetchHistoryList(),
        "fetch-and-set-history" => new FetchAndSetHistory(Identifier(root, "history_uid")),
        "create-new-history" => new CreateNewHistory(),
        "delete-history" => new DeleteHistory(Identifier(root, "history_uid")),
        "fetch-configs" => new FetchConfigs(),
        "switch-config" => new SwitchConfig(Identifier(root, "file")),
        "fetch-backgrounds" => new FetchBackgrounds(),
        "request-init-config" => new RequestInitConfig(),
        "heartbeat" => new Heartbeat(),
        "add-client-to-group" => new AddClientToGroup(Identifier(root, "invitee_uid")),
        "remove-client-from-group" => new RemoveClientFromGroup(Identifier(root, "target_uid")),
        "request-group-info" => new RequestGroupInfo(),
        _ => throw new FieldException($"unknown message type '{Printable(type)}'"),
    };

    /// <summary>
    /// audio-play-start's display_text, forwarded to the other members of a group: absent or null means nothing to
    /// forward (OLV skips it too); its text, name and avatar must be strings when given.
    /// </summary>
    private static DisplayTextPayload? DisplayText(JsonElement root, ClientMessageLimits limits)
    {
        if (IsAbsent(root, "display_text"))
        {
            return null;
        }
        var display = root.GetProperty("display_text");
        if (display.ValueKind != JsonValueKind.Object)
        {
            throw new FieldException($"field 'display_text' must be an object, got {Describe(display.ValueKind)}");
        }
        return new DisplayTextPayload(OptionalText(display, "text", limits) ?? "",
            OptionalIdentifier(display, "name") ?? "", OptionalIdentifier(display, "avatar") ?? "");
    }

    private static string Text(JsonElement root, string name, ClientMessageLimits limits) =>
        RequiredString(root, name, limits.MaxTextChars, "system_config.limits.max_text_chars");

    private static string? OptionalText(JsonElement root, string name, ClientMessageLimits limits) =>
        IsAbsent(root, name) ? null : Text(root, name, limits);

    private static string Identifier(JsonElement root, string name) => RequiredString(root, name, MaxIdentifierChars);

    private static string? OptionalIdentifier(JsonElement root, string name) =>
        IsAbsent(root, name) ? null : Identifier(root, name);

    private static bool IsAbsent(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static string RequiredString(JsonElement root, string name, int maxChars, string? limitKey = null)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new FieldException($"missing field '{name}'");
        }
        return value.ValueKind == JsonValueKind.String
            ? StringOf(value, name, maxChars, limitKey)
            : throw new FieldException($"field '{name}' must be a string, got {Describe(value.ValueKind)}");
    }

    /// <summary>
    /// The one place a client's string is decoded. System.Text.Json accepts an escaped lone surrogate ("\ud800")
    /// while parsing and throws InvalidOperationException only when the string is read; such text is not Unicode,
    /// and nothing after the parser (memory, journal, LLM request) should have to cope with it. (Decoding before the
    /// length check is bounded: the whole frame is at most websocket.max_message_bytes.)
    /// </summary>
    private static string StringOf(JsonElement value, string name, int maxChars, string? limitKey = null)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new FieldException($"field '{name}' is not valid Unicode text (it holds an unpaired UTF-16 surrogate such as \\ud800)");
        }
        if (text.Length > maxChars)
        {
            throw new FieldException(limitKey is null
                ? $"field '{name}' is longer than {maxChars} characters"
                : $"field '{name}' has {text.Length} characters, over the limit of {maxChars} ({limitKey})");
        }
        return text;
    }

    private static double? OptionalNumber(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new FieldException($"field '{name}' must be a number, got {Describe(value.ValueKind)}");
        }
        // 1e400 parses as infinity: not a number anything downstream can use.
        return value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FieldException($"field '{name}' must be a finite number");
    }

    private static IReadOnlyList<ImagePayload> Images(JsonElement root, ClientMessageLimits limits)
    {
        if (!root.TryGetProperty("images", out var images) || images.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (images.ValueKind != JsonValueKind.Array)
        {
            throw new FieldException($"field 'images' must be an array, got {Describe(images.ValueKind)}");
        }
        var count = images.GetArrayLength();
        if (count > limits.MaxImages)
        {
            throw new FieldException($"{count} images, over the limit of {limits.MaxImages} (system_config.limits.max_images)");
        }
        var result = new List<ImagePayload>(count);
        var index = 0;
        foreach (var image in images.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object)
            {
                throw new FieldException($"images[{index}] must be an object, got {Describe(image.ValueKind)}");
            }
            var data = RequiredString(image, "data", limits.MaxImageBytes, "system_config.limits.max_image_bytes");
            if (ImageDataUrl.MimeTypeOf(data) is not { } mimeType)
            {
                throw new FieldException($"images[{index}].data must be a data:image/<type>;base64,<data> URL");
            }
            var declared = OptionalIdentifier(image, "mime_type");
            if (declared is not null && !ImageDataUrl.IsImageMediaType(declared))
            {
                throw new FieldException($"images[{index}].mime_type must be an image media type such as image/jpeg");
            }
            result.Add(new ImagePayload(OptionalIdentifier(image, "source") ?? "upload", data, declared ?? mimeType));
            index++;
        }
        return result;
    }

    private static readonly byte[] TypeProperty = "type"u8.ToArray();
    private static readonly byte[] AudioProperty = "audio"u8.ToArray();
    private static readonly byte[] MicAudioData = "mic-audio-data"u8.ToArray();
    private static readonly byte[] RawAudioData = "raw-audio-data"u8.ToArray();

    /// <summary>
    /// mic-audio-data and raw-audio-data are most of the traffic (about 90 KB each), so they are read in one forward
    /// pass with the samples going straight into a pooled buffer. Returns null for every other message (decided as
    /// soon as 'type' is seen) and for malformed JSON, which the general path then reports as usual.
    /// </summary>
    private static ParseResult? AudioFrame(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        string? type = null;
        AudioSamples? samples = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(TypeProperty))
                {
                    reader.Read();
                    // Compared, not decoded: a type that is not one of these two is the general path's business.
                    type = reader.TokenType != JsonTokenType.String ? null
                        : reader.ValueTextEquals(MicAudioData) ? "mic-audio-data"
                        : reader.ValueTextEquals(RawAudioData) ? "raw-audio-data"
                        : null;
                    if (type is null)
                    {
                        samples?.Dispose();
                        return null;
                    }
                }
                else if (reader.ValueTextEquals(AudioProperty) && samples is null)
                {
                    try
                    {
                        samples = AudioSampleArray.Read(ref reader);
                    }
                    catch (AudioSampleException e)
                    {
                        // Whatever the type turns out to be, an audio field this broken is worth the client's attention.
                        return ParseResult.Fail($"Invalid '{type ?? "audio"}' message: {e.Message}");
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            if (type is null)
            {
                samples?.Dispose();
                return null;
            }
            if (samples is null)
            {
                return ParseResult.Fail($"Invalid '{type}' message: field 'audio' must be an array of numbers");
            }
            return ParseResult.Ok(type == "mic-audio-data" ? new MicAudioData(samples) : new RawAudioData(samples));
        }
        catch (JsonException)
        {
            samples?.Dispose();
            return null;
        }
        catch (InvalidOperationException)
        {
            // Comparing a property name decodes it; an escaped lone surrogate in a name is refused like one in a value.
            samples?.Dispose();
            return ParseResult.Fail("Invalid message: a property name is not valid Unicode text (it holds an unpaired UTF-16 surrogate such as \\ud800)");
        }
    }

    /// <summary>A client's text quoted in a refusal: at most 64 chars, a surrogate pair never cut, controls as '?'.</summary>
    private static string Printable(string text)
    {
        var end = Math.Min(text.Length, 64);
        if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }
        var printable = string.Create(end, text, (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return end < text.Length ? printable + "…" : printable;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private sealed class FieldException(string message) : Exception(message);
}
