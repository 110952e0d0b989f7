using System.Text;
using System.Text.Json;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// The frames the floor sends, copied byte for byte from the server under test: the connect greeting, and for each
/// client message type the frames the server answers it with (for text-input: chain-start, "Thinking...", the audio
/// frames with their WAV, base64 and volumes, backend-synth-complete; for frontend-playback-complete:
/// force-new-message and chain-end). Captured once from one client, so the floor's frames have the server's sizes
/// whatever the server's encoding is today. Saved as JSON for the floor's child process.
/// </summary>
public sealed record FloorFrames(IReadOnlyList<string> Greeting, IReadOnlyDictionary<string, IReadOnlyList<string>> Replies)
{
    private static readonly Dictionary<string, string> RequestOfReply = new()
    {
        ["background-files"] = "fetch-backgrounds",
        ["config-files"] = "fetch-configs",
        ["history-list"] = "fetch-history-list",
        ["new-history-created"] = "create-new-history",
    };

    /// <summary>Drives one session of the server through the whole protocol the scenario uses and keeps what it sent.</summary>
    public static async Task<FloorFrames> CaptureAsync(Uri target, CancellationToken cancellationToken)
    {
        using var client = await OlvLoadClient.OpenSocketAsync(target, cancellationToken);
        await client.SendOpenRequestsAsync(cancellationToken);
        var greeting = new List<string>();
        var replies = new Dictionary<string, IReadOnlyList<string>>();
        var greeted = false;
        for (var i = 0; i < 100 && !(greeted && replies.Count == RequestOfReply.Count); i++) // a handful of frames are due
        {
            var kind = await client.ReceiveAsync(cancellationToken);
            var frame = Encoding.UTF8.GetString(client.LastFrame.Span);
            if (kind == FrameKind.Reply)
            {
                replies[RequestOfReply[client.LastType]] = [frame];
            }
            else if (!greeted)
            {
                greeting.Add(frame);
                greeted = kind == FrameKind.StartMic;
            }
        }
        if (!greeted || replies.Count < RequestOfReply.Count)
        {
            throw new InvalidOperationException("the server did not send the greeting and the four replies within 100 frames");
        }

        await client.SendTextInputAsync(cancellationToken);
        replies["text-input"] = await RecordUntilAsync(client, FrameKind.BackendSynthComplete, answerAudio: true, cancellationToken);
        await client.SendPlaybackCompleteAsync(cancellationToken);
        replies["frontend-playback-complete"] = await RecordUntilAsync(client, FrameKind.ChainEnd, answerAudio: false, cancellationToken);
        await client.SendHeartbeatAsync(cancellationToken);
        replies["heartbeat"] = await RecordUntilAsync(client, FrameKind.HeartbeatAck, answerAudio: false, cancellationToken);

        if (!replies["text-input"].Any(f => f.Contains("\"type\":\"audio\"", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the captured turn has no audio frame: the server did not speak");
        }
        return new FloorFrames(greeting, replies);
    }

    private static async Task<IReadOnlyList<string>> RecordUntilAsync(OlvLoadClient client, FrameKind last, bool answerAudio,
        CancellationToken cancellationToken)
    {
        var frames = new List<string>();
        for (var i = 0; i < 100; i++) // a turn is a handful of frames; more means the server does something else
        {
            var kind = await client.ReceiveAsync(cancellationToken);
            frames.Add(Encoding.UTF8.GetString(client.LastFrame.Span));
            if (kind == FrameKind.Audio && answerAudio)
            {
                await client.SendAudioPlayStartAsync(cancellationToken);
            }
            if (kind == last)
            {
                return frames;
            }
        }
        throw new InvalidOperationException($"no {last} frame within 100 frames while capturing");
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(new Saved(Greeting, Replies)));

    public static FloorFrames Load(string path)
    {
        var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllText(path))
                    ?? throw new InvalidDataException($"{path}: not a floor frames file");
        return new FloorFrames(saved.Greeting, saved.Replies);
    }

    /// <summary>Total bytes of the frames answering one text-input turn (both halves), for the table's legend.</summary>
    public int TurnBytes => Replies["text-input"].Concat(Replies["frontend-playback-complete"]).Sum(Encoding.UTF8.GetByteCount);

    private sealed record Saved(IReadOnlyList<string> Greeting, IReadOnlyDictionary<string, IReadOnlyList<string>> Replies);
}
