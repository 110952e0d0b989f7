using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Domain.Tests.Config;

public sealed class LongTermMemoryConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // MinimalConfig's character_config ends at its last key: the memory section joins it at two spaces.
    private VtuberConfig Load(string memoryYaml) =>
        ConfigLoader.Load(_folder.Write("conf.yaml", MinimalConfig.Character + "\n" + memoryYaml));

    [Fact]
    public void Long_term_memory_is_off_by_default_with_the_embedded_model()
    {
        var memory = Load("").Character.LongTermMemory;
        Assert.Equal(new LongTermMemoryConfig(), memory);
        Assert.False(memory.Enabled);
        Assert.Equal("embedded", memory.Embedding.Provider);
        Assert.Equal((3, 0.3, 100_000), (memory.TopK, memory.MinScore, memory.MaxMemories));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var memory = Load("""
              long_term_memory:
                enabled: true
                embedding:
                  provider: 'ollama'
                  base_url: 'http://127.0.0.1:11434'
                  api_key: 'k'
                  model: 'nomic-embed-text'
                top_k: 5
                min_score: 0.5
                max_memories: 1000
            """).Character.LongTermMemory;
        Assert.Equal(new LongTermMemoryConfig
        {
            Enabled = true,
            Embedding = new EmbeddingConfig { Provider = "ollama", BaseUrl = "http://127.0.0.1:11434", ApiKey = "k", Model = "nomic-embed-text" },
            TopK = 5,
            MinScore = 0.5,
            MaxMemories = 1000,
        }, memory);
    }

    [Theory]
    [InlineData("embedding: {provider: 'letta'}", "character_config.long_term_memory.embedding.provider")]
    [InlineData("embedding: {base_url: 'localhost'}", "character_config.long_term_memory.embedding.base_url")]
    [InlineData("top_k: 0", "character_config.long_term_memory.top_k")]
    [InlineData("min_score: 2", "character_config.long_term_memory.min_score")]
    [InlineData("max_memories: 0", "character_config.long_term_memory.max_memories")]
    public void A_bad_value_names_its_key(string yaml, string key)
    {
        var error = Assert.Throws<ConfigException>(() => Load("  long_term_memory:\n    " + yaml));
        Assert.Contains(key, error.Message);
    }
}
