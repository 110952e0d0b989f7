using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// edge_tts: Microsoft Edge's read-aloud voices over their WebSocket protocol (speech-and-llm-stack.md section 6).
/// One connection per sentence: speech.config, then the SSML; the reply is binary frames of MP3 (decoded while they
/// arrive) until turn.end. A 403 means our clock disagrees with the service's: the skew is learned from its Date
/// header, kept for later sentences, and the connection is tried once more.
/// </summary>
public sealed class EdgeTts(EdgeTtsConfig config) : ITtsEngine
{
    public const string Model = "edge_tts";
    public const string TrustedClientToken = "6A5AA1D4EAFF4E9FB37E23D68491D6F4";
    public const string ChromiumFullVersion = "143.0.3650.75";
    public const string Origin = "chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold";

    private const string UserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 " +
        "Safari/537.36 Edg/143.0.0.0";
    private const string SpeechConfigBody =
        """{"context":{"synthesis":{"audio":{"metadataoptions":{"sentenceBoundaryEnabled":"false","wordBoundaryEnabled":"true"},"outputFormat":"audio-24khz-48kbitrate-mono-mp3"}}}}""";
    private const int ReceiveBlock = 16 * 1024;
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private long _clockSkewTicks;

    public string Name => Model;

    /// <summary>What this engine believes the service's clock is ahead of ours (learned from 403 replies).</summary>
    public TimeSpan ClockSkew => TimeSpan.FromTicks(Interlocked.Read(ref _clockSkewTicks));

    /// <summary>The Sec-MS-GEC token: SHA-256 of the Windows file time, rounded down to 5 minutes, and the token.</summary>
    public static string SecMsGec(DateTimeOffset now)
    {
        var ticks = (now.ToUnixTimeSeconds() + 11_644_473_600L) * 10_000_000L;
        ticks -= ticks % 3_000_000_000L;
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(
            ticks.ToString(CultureInfo.InvariantCulture) + TrustedClientToken)));
    }

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var socket = await ConnectAsync(cancellationToken);
        await using var decoder = StreamingAudioDecoder.Sniffing();
        try
        {
            await SendTextAsync(socket, SpeechConfigFrame(), cancellationToken);
            await SendTextAsync(socket, SsmlFrame(text), cancellationToken);
            await ReceiveAudioAsync(socket, decoder, cancellationToken);
        }
        catch (WebSocketException e)
        {
            throw new TtsException(Name, $"the connection to {config.BaseUrl} broke: {e.Message}", e);
        }
        if (decoder.BytesWritten == 0)
            throw new TtsException(Name, $"{config.BaseUrl} sent no audio for voice '{config.Voice}'");
        try
        {
            return await decoder.CompleteAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(Name, $"{config.BaseUrl} sent audio that does not decode: {e.Message}", e);
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = await TryConnectAsync(cancellationToken);
        if (socket.State == WebSocketState.Open)
            return socket;
        var status = socket.HttpStatusCode;
        var serverDate = socket.HttpResponseHeaders?.GetValueOrDefault("Date")?.FirstOrDefault();
        socket.Dispose();
        if (status == HttpStatusCode.Forbidden &&
            DateTimeOffset.TryParse(serverDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            Interlocked.Exchange(ref _clockSkewTicks, (date - DateTimeOffset.UtcNow).Ticks);
            socket = await TryConnectAsync(cancellationToken);
            if (socket.State == WebSocketState.Open)
                return socket;
            status = socket.HttpStatusCode;
            socket.Dispose();
        }
        throw new TtsException(Name, status == 0
            ? $"cannot reach {config.BaseUrl}"
            : $"{config.BaseUrl} refused the connection ({(int)status} {status})");
    }

    // Returns the socket either open or closed with the HTTP status and headers of the refusal kept.
    private async Task<ClientWebSocket> TryConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", Origin);
        socket.Options.SetRequestHeader("User-Agent", UserAgent);
        socket.Options.SetRequestHeader("Pragma", "no-cache");
        socket.Options.SetRequestHeader("Cache-Control", "no-cache");
        socket.Options.SetRequestHeader("Cookie", "muid=" + Guid.NewGuid().ToString("N").ToUpperInvariant());
        var url = $"{config.BaseUrl}?TrustedClientToken={TrustedClientToken}" +
                  $"&Sec-MS-GEC={SecMsGec(DateTimeOffset.UtcNow + ClockSkew)}" +
                  $"&Sec-MS-GEC-Version=1-{ChromiumFullVersion}&ConnectionId={Guid.NewGuid():N}";
        try
        {
            await socket.ConnectAsync(new Uri(url), cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            // Refused or unreachable: the caller reads HttpStatusCode (0 when nothing answered).
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    private static string SpeechConfigFrame() =>
        $"X-Timestamp:{JsDate()}\r\nContent-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n{SpeechConfigBody}";

    private string SsmlFrame(string text) =>
        $"X-RequestId:{Guid.NewGuid():N}\r\nContent-Type:application/ssml+xml\r\nX-Timestamp:{JsDate()}Z\r\nPath:ssml\r\n\r\n" +
        "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'>" +
        $"<voice name='{SecurityElement.Escape(config.Voice)}'>" +
        $"<prosody pitch='{config.Pitch}' rate='{config.Rate}' volume='{config.Volume}'>" +
        $"{SecurityElement.Escape(text)}</prosody></voice></speak>";

    // JavaScript's Date.toString() in UTC, which is what the service expects (as the browser extension sends).
    private static string JsDate() =>
        DateTime.UtcNow.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'",
            CultureInfo.InvariantCulture);

    private static Task SendTextAsync(ClientWebSocket socket, string frame, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true,
            cancellationToken);

    private async Task ReceiveAudioAsync(ClientWebSocket socket, StreamingAudioDecoder decoder,
                                         CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(ReceiveBlock);
        while (true)
        {
            message.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                if (message.WrittenCount > MaxMessageBytes)
                    throw new TtsException(Name, $"{config.BaseUrl} sent a message over {MaxMessageBytes} bytes");
                result = await socket.ReceiveAsync(message.GetMemory(ReceiveBlock), cancellationToken);
                message.Advance(result.Count);
            } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    throw new TtsException(Name,
                        $"{config.BaseUrl} closed the connection before turn.end ({socket.CloseStatus} {socket.CloseStatusDescription})");
                case WebSocketMessageType.Text when TextPath(message.WrittenSpan) == "turn.end":
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return;
                case WebSocketMessageType.Binary:
                    await WriteAudioPayloadAsync(message.WrittenMemory, decoder, cancellationToken);
                    break;
            }
        }
    }

    // Binary frame: a 2-byte big-endian header length, ASCII headers (Path:audio for audio), then the MP3 bytes.
    private async ValueTask WriteAudioPayloadAsync(ReadOnlyMemory<byte> frame, StreamingAudioDecoder decoder,
                                                   CancellationToken cancellationToken)
    {
        if (frame.Length < 2)
            throw new TtsException(Name, $"{config.BaseUrl} sent a binary frame of {frame.Length} bytes");
        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(frame.Span);
        if (2 + headerLength > frame.Length)
            throw new TtsException(Name, $"{config.BaseUrl} sent a binary frame whose header runs past its end");
        if (HeaderValue(frame.Span.Slice(2, headerLength), "Path") != "audio")
            return;
        var payload = frame[(2 + headerLength)..];
        if (!payload.IsEmpty)
            await decoder.WriteAsync(payload, cancellationToken);
    }

    private static string? TextPath(ReadOnlySpan<byte> message)
    {
        var text = Encoding.UTF8.GetString(message);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return HeaderValue(headerEnd < 0 ? text : text[..headerEnd], "Path");
    }

    private static string? HeaderValue(ReadOnlySpan<byte> headers, string name) =>
        HeaderValue(Encoding.ASCII.GetString(headers), name);

    private static string? HeaderValue(string headers, string name)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                return line[(colon + 1)..].Trim();
        }
        return null;
    }
}
