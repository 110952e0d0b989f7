using Vtuber.Domain.Audio;

namespace Vtuber.Speech.Audio;

/// <summary>Feeds an HTTP response body into a <see cref="StreamingAudioDecoder"/> chunk by chunk as it arrives.</summary>
public static class HttpAudioStream
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Reads the whole body into the decoder and returns the audio; <see cref="InvalidDataException"/> when it does not decode.</summary>
    public static async Task<Pcm16Audio> DecodeAsync(HttpContent content, StreamingAudioDecoder decoder,
                                                     CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            await decoder.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        return await decoder.CompleteAsync(cancellationToken);
    }
}
