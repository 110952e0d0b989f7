using System.Buffers;

namespace Vtuber.Actors.Voice;

/// <summary>
/// The samples of one utterance as they arrive in mic-audio-data frames: appended into fixed-size chunks rented from
/// the shared pool, so growing never copies what is already there (a list of doubled arrays would copy O(n log n),
/// one growing array O(n²) in the worst case). It is bounded: past <c>capacity</c> samples nothing more is kept.
/// Used by one actor at a time; not thread-safe.
/// </summary>
public sealed class UtteranceBuffer(int capacity)
{
    // One second at 16 kHz: a 60 s utterance is 60 chunks, a short one wastes at most one chunk of pooled memory.
    private const int ChunkSamples = 16000;
    private readonly List<float[]> _chunks = [];

    public int Capacity => capacity;

    public int Count { get; private set; }

    /// <summary>Appends as much as fits; returns false (and keeps nothing of <paramref name="samples"/>) when it would not fit.</summary>
    public bool TryAppend(ReadOnlySpan<float> samples)
    {
        if (samples.Length > capacity - Count)
        {
            return false;
        }
        while (!samples.IsEmpty)
        {
            var inChunk = Count % ChunkSamples;
            if (inChunk == 0 && Count / ChunkSamples == _chunks.Count)
            {
                _chunks.Add(ArrayPool<float>.Shared.Rent(ChunkSamples));
            }
            var take = Math.Min(ChunkSamples - inChunk, samples.Length);
            samples[..take].CopyTo(_chunks[Count / ChunkSamples].AsSpan(inChunk));
            samples = samples[take..];
            Count += take;
        }
        return true;
    }

    /// <summary>The utterance as one array (the one copy ASR needs), and the buffer emptied for the next one.</summary>
    public float[] Take()
    {
        var utterance = new float[Count];
        for (var offset = 0; offset < Count; offset += ChunkSamples)
        {
            _chunks[offset / ChunkSamples].AsSpan(0, Math.Min(ChunkSamples, Count - offset)).CopyTo(utterance.AsSpan(offset));
        }
        Clear();
        return utterance;
    }

    /// <summary>Empties the buffer and gives its chunks back to the pool.</summary>
    public void Clear()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<float>.Shared.Return(chunk);
        }
        _chunks.Clear();
        Count = 0;
    }
}
