using System.Text.Json;

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
    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (AudioFrame(utf8Json) is { } audioFrame)
        {
            return audioFrame;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
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
            var type = typeElement.GetString()!;
            try
            {
                return ParseResult.Ok(ParseBody(type, root));
            }
            catch (FieldException e)
            {
                return ParseResult.Fail($"Invalid '{type}' message: {e.Message}");
            }
        }
    }

    private static ClientMessage ParseBody(string type, JsonElement root) => type switch
    {
        "text-input" => new TextInput(RequiredString(root, "text"), Images(root)),
        "mic-audio-end" => new MicAudioEnd(Images(root)),
        "ai-speak-signal" => new AiSpeakSignal(OptionalNumber(root, "idle_time") ?? -1, Images(root)),
        // The frontend always sends text; a proxy or script may omit it, which means "heard nothing".
        "interrupt-signal" => new InterruptSignal(OptionalString(root, "text") ?? ""),
        "frontend-playback-complete" => new FrontendPlaybackComplete(),
        "audio-play-start" => new AudioPlayStart(),
        "fetch-history-list" => new FetchHistoryList(),
        "fetch-and-set-history" => new FetchAndSetHistory(RequiredString(root, "history_uid")),
        "create-new-history" => new CreateNewHistory(),
        "delete-history" => new DeleteHistory(RequiredString(root, "history_uid")),
        "fetch-configs" => new FetchConfigs(),
        "switch-config" => new SwitchConfig(RequiredString(root, "file")),
        "fetch-backgrounds" => new FetchBackgrounds(),
        "request-init-config" => new RequestInitConfig(),
        "heartbeat" => new Heartbeat(),
        "add-client-to-group" or "remove-client-from-group" or "request-group-info" => new GroupOperation(type),
        _ => throw new FieldException($"unknown message type '{type}'"),
    };

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new FieldException($"missing field '{name}'");
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FieldException($"field '{name}' must be a string, got {Describe(value.ValueKind)}");
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? RequiredString(root, name) : null;

    private static double? OptionalNumber(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new FieldException($"field '{name}' must be a number, got {Describe(value.ValueKind)}");
    }

    private static IReadOnlyList<ImagePayload> Images(JsonElement root)
    {
        if (!root.TryGetProperty("images", out var images) || images.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (images.ValueKind != JsonValueKind.Array)
        {
            throw new FieldException($"field 'images' must be an array, got {Describe(images.ValueKind)}");
        }
        var result = new List<ImagePayload>(images.GetArrayLength());
        var index = 0;
        foreach (var image in images.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object)
            {
                throw new FieldException($"images[{index}] must be an object, got {Describe(image.ValueKind)}");
            }
            var data = RequiredString(image, "data");
            if (!data.StartsWith("data:image/", StringComparison.Ordinal))
            {
                throw new FieldException($"images[{index}].data must be a data:image/... URL");
            }
            result.Add(new ImagePayload(OptionalString(image, "source") ?? "upload", data,
                OptionalString(image, "mime_type") ?? MimeTypeOf(data)));
            index++;
        }
        return result;
    }

    /// <summary>"data:image/png;base64,..." → "image/png".</summary>
    private static string MimeTypeOf(string dataUrl)
    {
        var end = dataUrl.IndexOfAny([';', ',']);
        return end > 5 ? dataUrl[5..end] : "image/*";
    }

    private static readonly byte[] TypeProperty = "type"u8.ToArray();
    private static readonly byte[] AudioProperty = "audio"u8.ToArray();

    /// <summary>
    /// mic-audio-data and raw-audio-data are most of the traffic (about 90 KB each), so they are read in one forward
    /// pass with the samples going straight into a pooled buffer. Returns null for every other message (decided as
    /// soon as 'type' is seen) and for malformed JSON, which the general path then reports as usual.
    /// </summary>
    private static ParseResult? AudioFrame(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
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
                    type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (type is not ("mic-audio-data" or "raw-audio-data"))
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
