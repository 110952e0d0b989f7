using System.Buffers;
using System.IO.Pipelines;
using NLayer;
using Vtuber.Domain.Audio;

namespace Vtuber.Speech.Audio;

/// <summary>
/// Decodes audio while its bytes are still arriving, so that when a streaming engine's last byte lands only the
/// last MP3 frames are left to decode (not the whole sentence). MP3 is decoded by NLayer on a dedicated thread that
/// reads from a bounded pipe; other formats (WAV, raw PCM) are cheap to convert and are decoded when complete.
/// Write the bytes in order with <see cref="WriteAsync"/>, then call <see cref="CompleteAsync"/> once.
/// </summary>
public sealed class StreamingAudioDecoder : IAsyncDisposable
{
    private const int SniffLength = 10;
    private const int ReadBlockSamples = 4096;

    // The writer waits when the decoder is this far behind, so a fast network cannot fill memory.
    private static readonly PipeOptions BoundedPipe = new(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024);

    private readonly RawPcmFormat? _rawPcm;
    private readonly MemoryStream _buffered = new();
    private Pipe? _mp3Pipe;
    private Task<Pcm16Audio>? _mp3Decoding;
    private bool _sniffed;

    private StreamingAudioDecoder(RawPcmFormat? rawPcm)
    {
        _rawPcm = rawPcm;
        _sniffed = rawPcm is not null;
    }

    /// <summary>The bytes decide the format (MP3 is streamed, WAV is decoded at the end), as <see cref="AudioDecoder"/>.</summary>
    public static StreamingAudioDecoder Sniffing() => new(null);

    /// <summary>Headerless little-endian signed 16-bit PCM (ElevenLabs' pcm_* formats).</summary>
    public static StreamingAudioDecoder RawPcm16(int sampleRate, int channels) => new(new RawPcmFormat(sampleRate, channels));

    /// <summary>All bytes received so far, in order (MP3 bytes too), for callers that keep the original audio.</summary>
    public long BytesWritten { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        BytesWritten += bytes.Length;
        if (_mp3Pipe is { } pipe)
        {
            await WriteToPipeAsync(pipe, bytes, cancellationToken);
            return;
        }
        _buffered.Write(bytes.Span);
        if (!_sniffed && _buffered.Length >= SniffLength)
            await SniffAsync(cancellationToken);
    }

    /// <summary>Ends the input and returns the decoded audio; throws <see cref="InvalidDataException"/> for bad audio.</summary>
    public async Task<Pcm16Audio> CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_sniffed)
            await SniffAsync(cancellationToken);
        if (_mp3Pipe is { } pipe)
        {
            await pipe.Writer.CompleteAsync();
            return await _mp3Decoding!.WaitAsync(cancellationToken);
        }
        if (_rawPcm is { } raw)
            return DecodeRawPcm16(_buffered.GetBuffer().AsSpan(0, (int)_buffered.Length), raw);
        return AudioDecoder.Decode(_buffered.GetBuffer().AsSpan(0, (int)_buffered.Length));
    }

    private async ValueTask SniffAsync(CancellationToken cancellationToken)
    {
        _sniffed = true;
        if (!AudioDecoder.LooksLikeMp3(_buffered.GetBuffer().AsSpan(0, (int)_buffered.Length)))
            return;
        var pipe = new Pipe(BoundedPipe);
        _mp3Pipe = pipe;
        // A dedicated thread: NLayer reads synchronously and would otherwise block a pool thread for the whole
        // sentence while waiting for the network.
        _mp3Decoding = Task.Factory.StartNew(() => DecodeMp3(pipe.Reader), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await WriteToPipeAsync(pipe, _buffered.GetBuffer().AsMemory(0, (int)_buffered.Length), cancellationToken);
        _buffered.SetLength(0);
    }

    private async ValueTask WriteToPipeAsync(Pipe pipe, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var result = await pipe.Writer.WriteAsync(bytes, cancellationToken);
        if (result.IsCompleted)
        {
            // The decoder stopped reading before the end: its exception says why.
            await _mp3Decoding!;
            throw new InvalidDataException("the MP3 decoder stopped before the stream ended");
        }
    }

    private static Pcm16Audio DecodeMp3(PipeReader reader)
    {
        using var input = new CountingReadStream(reader.AsStream());
        try
        {
            using var mpeg = new MpegFile(input);
            // Read before decoding: on a forward-only source NLayer forgets the first frame, which these come from.
            var channels = mpeg.Channels;
            var sampleRate = mpeg.SampleRate;
            var pcm = new ArrayBufferWriter<short>(64 * 1024);
            var block = new float[ReadBlockSamples * channels];
            int read;
            while ((read = mpeg.ReadSamples(block, 0, block.Length)) > 0)
                AudioDecoder.AppendAsPcm16(pcm, block.AsSpan(0, read));
            if (pcm.WrittenCount == 0)
                throw new InvalidDataException("MP3 without any decodable frame");
            return new Pcm16Audio(AudioDecoder.WholeFrames(pcm.WrittenSpan.ToArray(), channels), sampleRate, channels);
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"damaged MP3: {e.Message}", e);
        }
    }

    private static Pcm16Audio DecodeRawPcm16(ReadOnlySpan<byte> bytes, RawPcmFormat format) =>
        new(AudioDecoder.WholeFramesOfPcm16(bytes, format.Channels), format.SampleRate, format.Channels);

    /// <summary>Stops the decoding thread if the caller gave up before completing (cancelled turn, failed engine).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_mp3Pipe is { } pipe && _mp3Decoding is { IsCompleted: false } decoding)
        {
            await pipe.Writer.CompleteAsync(new OperationCanceledException("audio stream abandoned"));
            try
            {
                await decoding;
            }
            catch (Exception e) when (e is InvalidDataException or OperationCanceledException)
            {
                // The decoder saw the abandoned stream end early; nobody wants its result.
            }
        }
    }

    private sealed record RawPcmFormat(int SampleRate, int Channels);
}
