using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using OllamaRequest = OllamaSharp.Models.Chat.ChatRequest;

namespace Vtuber.Agents;

/// <summary>
/// ollama_llm through Ollama's native /api/chat (NDJSON streaming, OllamaSharp's <see cref="IChatClient"/>), with
/// OLV's model lifetime (olv-protocol 7.4): the model is preloaded when this client is built (POST /api/chat
/// {model, keep_alive} in the background, failures logged, never fatal), every chat request carries the same
/// keep_alive so Ollama's default of 5 minutes does not override it, and Dispose unloads the model (keep_alive 0)
/// when unload_at_exit is set. keep_alive is sent as a Go duration ("-1s", "300s"): Ollama rejects unit-less strings.
/// </summary>
public sealed class OllamaChatClient : DelegatingChatClient
{
    private static readonly TimeSpan UnloadTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PreloadTimeout = TimeSpan.FromMinutes(10);
    private static readonly AsyncLocal<CancellationToken> TurnToken = new();

    private readonly OllamaApiClient _ollama;
    private readonly HttpClient _http;
    private readonly LlmProviderSettings _settings;
    private readonly ILogger _logger;
    private readonly string _keepAlive;

    public OllamaChatClient(LlmProviderSettings settings, ILogger logger)
        : this(settings, logger, new HttpClient(new AbortOnCancel(new SocketsHttpHandler()))
        {
            BaseAddress = settings.BaseUrl,
            // The same safety net as the shared client: replies are bounded by the first-token and idle timeouts.
            Timeout = TimeSpan.FromMinutes(61),
        })
    {
    }

    private OllamaChatClient(LlmProviderSettings settings, ILogger logger, HttpClient http)
        : this(settings, logger, http, new OllamaApiClient(http, settings.Model))
    {
    }

    private OllamaChatClient(LlmProviderSettings settings, ILogger logger, HttpClient http, OllamaApiClient ollama)
        : base(ollama)
    {
        _settings = settings;
        _logger = logger;
        _http = http;
        _ollama = ollama;
        _keepAlive = Duration(settings.KeepAliveSeconds);
        Preloaded = Task.Run(async () =>
        {
            // Loading a large model can take minutes; a server that never answers must not hold the task for ever.
            using var bound = new CancellationTokenSource(PreloadTimeout);
            await SetModelLifetimeAsync(_keepAlive, "preload", bound.Token);
        });
    }

    /// <summary>Completes when the start-up preload has been answered or has failed (and been logged).</summary>
    public Task Preloaded { get; }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                        CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithKeepAlive(options), cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Seen by AbortOnCancel when OllamaSharp sends the request from inside this enumeration.
        TurnToken.Value = cancellationToken;
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithKeepAlive(options), cancellationToken))
        {
            yield return update;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_settings.UnloadAtExit)
            {
                // Shutdown is synchronous here (IDisposable); bounded so a dead Ollama cannot hold the process.
                using var timeout = new CancellationTokenSource(UnloadTimeout);
                Task.Run(() => SetModelLifetimeAsync("0s", "unload", timeout.Token)).Wait(UnloadTimeout);
            }
            _http.Dispose();
        }
        base.Dispose(disposing);
    }

    // OllamaSharp leaves keep_alive out of requests made through IChatClient unless the raw request comes from here.
    private ChatOptions WithKeepAlive(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.RawRepresentationFactory = _ => new OllamaRequest { KeepAlive = _keepAlive };
        return copy;
    }

    // Ollama loads (or unloads) a model when /api/chat gets no messages (OLV's preload and unload_at_exit).
    private async Task SetModelLifetimeAsync(string keepAlive, string what, CancellationToken ct)
    {
        try
        {
            var request = new OllamaRequest { Model = _settings.Model, Messages = [], KeepAlive = keepAlive, Stream = false };
            await foreach (var _ in _ollama.ChatAsync(request, ct))
            {
            }
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("ollama_llm: {What} of model {Model} at {Url} done (keep_alive {KeepAlive})",
                    what, _settings.Model, _settings.BaseUrl, keepAlive);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "ollama_llm: {What} of model {Model} at {Url} failed", what, _settings.Model, _settings.BaseUrl);
        }
    }

    /// <summary>
    /// OllamaSharp reads the NDJSON body without the caller's token, so a cancelled turn (or our idle timeout) would
    /// wait for Ollama's next line. The body is handed out as a stream whose reads also observe the turn's token.
    /// </summary>
    private sealed class AbortOnCancel(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            var original = response.Content;
            var turn = TurnToken.Value;
            var body = new StreamContent(new TokenBoundStream(await original.ReadAsStreamAsync(ct), turn));
            foreach (var header in original.Headers)
            {
                body.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = body;
            return response;
        }
    }

    private sealed class TokenBoundStream(Stream inner, CancellationToken requestToken) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, requestToken);
            return await inner.ReadAsync(buffer, both.Token);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private static string Duration(double seconds) => seconds.ToString(CultureInfo.InvariantCulture) + "s";
}
