using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// One value OLV passes to a Gradio endpoint by parameter name: a JSON value, or a reference audio (a URL the
/// Gradio server downloads itself, or a local file uploaded first), as gradio_client's <c>handle_file</c>.
/// </summary>
internal sealed record GradioInput(string Name, JsonNode? Value, string? File = null)
{
    public static GradioInput Of(string name, JsonNode? value) => new(name, value);

    /// <summary>An empty path sends no file (null), which the web UIs read as "not given".</summary>
    public static GradioInput FileAt(string name, string pathOrUrl) =>
        new(name, null, string.IsNullOrWhiteSpace(pathOrUrl) ? null : pathOrUrl);
}

/// <summary>
/// A Gradio 5 web UI (CosyVoice and Spark-TTS pin Gradio 5) called over its HTTP API, as gradio_client does by
/// keyword: <c>GET /gradio_api/info</c> gives the endpoint's parameters in order (values OLV does not pass take the
/// endpoint's defaults), local files go up through <c>POST /gradio_api/upload</c>, <c>POST /gradio_api/call/{api}</c>
/// starts the job and <c>GET /gradio_api/call/{api}/{event_id}</c> streams its events until <c>complete</c>, whose
/// first output is the audio file, fetched from its <c>url</c> and decoded while it streams in.
/// </summary>
internal sealed class GradioApp(string baseUrl, HttpClient http, string engine)
{
    private const string Prefix = "gradio_api/";

    // Relative paths resolve under the app's own path, so a web UI mounted behind a proxy at /cosyvoice/ works.
    private readonly Uri _root = new(baseUrl.TrimEnd('/') + "/");

    // The endpoint's parameters do not change while it runs; a failed look-up is not kept, so the next sentence retries.
    private Task<IReadOnlyList<JsonElement>>? _parameters;

    public async Task<Pcm16Audio> SynthesizeAsync(string apiName, IReadOnlyList<GradioInput> inputs,
                                                  CancellationToken cancellationToken)
    {
        var api = apiName.TrimStart('/');
        var data = await ArrangeAsync(api, inputs, cancellationToken);
        var eventId = await StartAsync(api, data, cancellationToken);
        var file = await AwaitOutputAsync(api, eventId, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, FileUrl(file));
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, engine, cancellationToken);
    }

    /// <summary>The inputs in the endpoint's parameter order, as gradio_client's keyword call builds them.</summary>
    private async Task<JsonArray> ArrangeAsync(string api, IReadOnlyList<GradioInput> inputs,
                                               CancellationToken cancellationToken)
    {
        var parameters = await ParametersAsync(api, cancellationToken);
        var byName = inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var known = parameters.Select(p => p.GetProperty("parameter_name").GetString()).ToHashSet(StringComparer.Ordinal);
        if (inputs.FirstOrDefault(i => !known.Contains(i.Name)) is { } unknown)
            throw new TtsException(engine,
                $"the web UI's /{api} has no parameter '{unknown.Name}' (it takes: {string.Join(", ", known)})");
        var data = new JsonArray();
        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("parameter_name").GetString()!;
            if (byName.TryGetValue(name, out var input))
                data.Add(input.File is { } file ? await FileDataAsync(file, cancellationToken) : input.Value?.DeepClone());
            else if (parameter.TryGetProperty("parameter_has_default", out var hasDefault) && hasDefault.GetBoolean())
                data.Add(parameter.TryGetProperty("parameter_default", out var d) ? JsonNode.Parse(d.GetRawText()) : null);
            else
                throw new TtsException(engine, $"the web UI's /{api} needs '{name}', which OLV's settings do not give");
        }
        return data;
    }

    // Shared by concurrent sentences, so it runs on no one sentence's token (HttpClient.Timeout bounds it); each
    // caller stops waiting on its own.
    private Task<IReadOnlyList<JsonElement>> ParametersAsync(string api, CancellationToken cancellationToken)
    {
        var lookUp = _parameters;
        if (lookUp is null || lookUp.IsFaulted || lookUp.IsCanceled)
            _parameters = lookUp = LookUpParametersAsync(api, CancellationToken.None);
        return lookUp.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<JsonElement>> LookUpParametersAsync(string api, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, Prefix + "info"));
        using var info = await TtsHttp.SendAsync(http, request, engine, "no API description",
            (content, token) => ParseAsync(content, token), cancellationToken);
        if (!info.RootElement.TryGetProperty("named_endpoints", out var endpoints) ||
            endpoints.ValueKind != JsonValueKind.Object)
            throw new TtsException(engine, $"{_root}{Prefix}info has no named_endpoints: is this a Gradio 5 web UI?");
        if (!endpoints.TryGetProperty("/" + api, out var endpoint) ||
            !endpoint.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
            throw new TtsException(engine, $"the web UI has no endpoint /{api} (it has: " +
                                           $"{string.Join(", ", endpoints.EnumerateObject().Select(e => e.Name))})");
        if (parameters.EnumerateArray().Any(p => !p.TryGetProperty("parameter_name", out var n) || n.ValueKind != JsonValueKind.String))
            throw new TtsException(engine, $"the web UI's /{api} lists a parameter without a name");
        return [.. parameters.EnumerateArray().Select(p => p.Clone())];
    }

    /// <summary>gradio_client's FileData: a URL goes as it is (the server downloads it), a local file is uploaded.</summary>
    private async Task<JsonNode> FileDataAsync(string pathOrUrl, CancellationToken cancellationToken)
    {
        var isUrl = Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        var name = isUrl ? Path.GetFileName(uri!.AbsolutePath) : Path.GetFileName(pathOrUrl);
        var path = isUrl ? pathOrUrl : await UploadAsync(pathOrUrl, cancellationToken);
        return new JsonObject
        {
            ["path"] = path, ["orig_name"] = name, ["meta"] = new JsonObject { ["_type"] = "gradio.FileData" },
        };
    }

    private async Task<string> UploadAsync(string file, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await System.IO.File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TtsException(engine, $"cannot read the reference audio {file}: {e.Message}", e);
        }
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "files", Path.GetFileName(file));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, Prefix + "upload")) { Content = form };
        using var reply = await TtsHttp.SendAsync(http, request, engine, "no uploaded file path",
            (content, token) => ParseAsync(content, token), cancellationToken);
        return reply.RootElement is { ValueKind: JsonValueKind.Array } paths && paths.GetArrayLength() == 1 &&
               paths[0].ValueKind == JsonValueKind.String
            ? paths[0].GetString()!
            : throw new TtsException(engine, $"{_root}{Prefix}upload answered {Snippet(reply.RootElement.GetRawText())}, not a list of one path");
    }

    private async Task<string> StartAsync(string api, JsonArray data, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, $"{Prefix}call/{api}"))
        {
            Content = TtsHttp.Json(new JsonObject { ["data"] = data }),
        };
        using var reply = await TtsHttp.SendAsync(http, request, engine, "no event id",
            (content, token) => ParseAsync(content, token), cancellationToken);
        return reply.RootElement.ValueKind == JsonValueKind.Object &&
               reply.RootElement.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new TtsException(engine, $"{_root}{Prefix}call/{api} answered without an event_id");
    }

    /// <summary>Reads the job's events (generating, heartbeat, ...) until complete or error.</summary>
    private async Task<JsonElement> AwaitOutputAsync(string api, string eventId, CancellationToken cancellationToken)
    {
        var url = new Uri(_root, $"{Prefix}call/{api}/{Uri.EscapeDataString(eventId)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await TtsHttp.SendAsync(http, request, engine, "no finished job", async (content, token) =>
        {
            await using var stream = await content.ReadAsStreamAsync(token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? name = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(token) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line.AsSpan(5).TrimStart());
                else if (line.Length == 0 && name is not null)
                {
                    if (Finished(api, name, data.ToString()) is { } output) return output;
                    (name, data) = (null, new StringBuilder());
                }
            }
            // The stream may end right after the last data line, without the blank line closing the event.
            if (name is not null && Finished(api, name, data.ToString()) is { } last) return last;
            throw new InvalidDataException("the event stream ended without a complete event");
        }, cancellationToken);
    }

    private JsonElement? Finished(string api, string eventName, string data)
    {
        switch (eventName)
        {
            case "complete":
                using (var outputs = Parse(data))
                {
                    if (outputs.RootElement is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0 ||
                        list[0].ValueKind != JsonValueKind.Object)
                        throw new InvalidDataException($"the complete event holds no file: {Snippet(data)}");
                    return list[0].Clone();
                }
            case "error":
                // Gradio sends data: null unless the web UI was launched with show_error; then the message.
                throw new TtsException(engine, data is "" or "null"
                    ? $"the web UI's /{api} failed (it gives details only when launched with show_error=True)"
                    : $"the web UI's /{api} failed: {Snippet(ErrorText(data))}");
            default:
                return null;
        }
    }

    /// <summary>The output's url (Gradio fills it in from the request's host), else its path on the server.</summary>
    private Uri FileUrl(JsonElement file)
    {
        if (file.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String &&
            Uri.TryCreate(url.GetString(), UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return absolute;
        if (file.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String)
            return new Uri(_root, $"{Prefix}file={path.GetString()}");
        throw new TtsException(engine, $"the web UI's output has neither url nor path: {Snippet(file.GetRawText())}");
    }

    /// <summary>The message of an error event: usually a JSON string, shown unquoted.</summary>
    private static string ErrorText(string data)
    {
        try
        {
            using var json = JsonDocument.Parse(data);
            return json.RootElement.ValueKind == JsonValueKind.String ? json.RootElement.GetString()! : data;
        }
        catch (JsonException)
        {
            return data;
        }
    }

    private static async Task<JsonDocument> ParseAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var text = await content.ReadAsStringAsync(cancellationToken);
        return Parse(text);
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON ({e.Message}): {Snippet(json)}", e);
        }
    }

    private static string Snippet(string text) => ErrorBody.Snippet(text);
}
