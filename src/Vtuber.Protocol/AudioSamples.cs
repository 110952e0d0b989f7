using System.Buffers;

namespace Vtuber.Protocol;

/// <summary>
/// The float samples of one audio frame (mic-audio-data, raw-audio-data), in an array rented from
/// <see cref="ArrayPool{T}.Shared"/>. Whoever receives the message owns it: copy the samples where they belong, then
/// Dispose to give the array back. A frame that is never disposed (its session died first) is simply collected.
/// </summary>
public sealed class AudioSamples : IDisposable
{
    private float[]? _buffer;

    internal AudioSamples(float[] buffer, int count)
    {
        _buffer = buffer;
        Count = count;
    }

    public int Count { get; }

    public ReadOnlySpan<float> Span => (_buffer ?? throw new ObjectDisposedException(nameof(AudioSamples))).AsSpan(0, Count);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
