using Vtuber.Domain.Config;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests.Llama;

public sealed class LlamaCppProviderTests(TinyGguf models) : IClassFixture<TinyGguf>
{
    private const string KeyPath = "character_config.agent_config.llm_configs.llama_cpp_llm.model_path";

    private static LlmProviderSettings Settings(string modelPath) =>
        new("llama_cpp_llm", new Uri(modelPath), "", Path.GetFileName(modelPath), 0.8, InterruptMethod.System, null, null)
        {
            Api = LlmApi.LlamaCpp, ModelPath = modelPath, ConfigFile = "/olv/conf.yaml",
        };

    [Fact]
    public void Child_check_loads_and_tokenizes_the_generated_model()
    {
        TinyGguf.Check.Verify(models.Good, "/olv/conf.yaml", KeyPath);
    }

    [Fact]
    public async Task Tiny_model_loads_in_process_and_streams_a_finished_reply()
    {
        var settings = Settings(models.Good);
        using var client = LlmProviders.CreateClient(settings, modelCheck: TinyGguf.Check);
        var agent = new ChatAgent(client, settings, SystemPrompt);

        var deltas = new List<string>();
        await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("Hello")), CancellationToken.None))
        {
            deltas.Add(delta);
        }

        // Random weights: the text is gibberish, but it is generated, streamed piece by piece and finished.
        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.NotEqual("", d));
    }

    [Fact]
    public void Model_with_duplicate_token_pieces_is_refused_with_the_assertion_instead_of_killing_the_server()
    {
        var error = Assert.Throws<ConfigException>(
            () => LlmProviders.CreateClient(Settings(models.DuplicatePieces), modelCheck: TinyGguf.Check));

        Assert.Equal(KeyPath, error.KeyPath);
        Assert.Equal(models.DuplicatePieces, error.Value);
        Assert.Contains("llama.cpp aborted while loading it", error.Expected);
        Assert.Contains("GGML_ASSERT", error.Expected);
    }

    [Fact]
    public void File_that_is_not_a_gguf_model_is_refused_with_the_loaders_message()
    {
        var error = Assert.Throws<ConfigException>(
            () => LlmProviders.CreateClient(Settings(models.NotAModel), modelCheck: TinyGguf.Check));

        Assert.Equal(KeyPath, error.KeyPath);
        Assert.StartsWith("a GGUF model llama.cpp can load (", error.Expected);
        Assert.DoesNotContain("aborted", error.Expected);
    }

    [Fact]
    public void Missing_model_file_is_refused_before_any_child_starts()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model.gguf");

        var error = Assert.Throws<ConfigException>(
            () => LlmProviders.CreateClient(Settings(missing), modelCheck: new LlamaModelCheck("/nonexistent/child", [])));

        Assert.Equal("/olv/conf.yaml", error.File);
        Assert.Equal(KeyPath, error.KeyPath);
        Assert.Equal("the path of an existing GGUF model file", error.Expected);
    }
}
