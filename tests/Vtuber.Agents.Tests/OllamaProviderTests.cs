using Vtuber.Domain.History;
using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class OllamaProviderTests : ProviderContract<FakeOllamaServer>
{
    protected override Task<FakeOllamaServer> StartFakeAsync() => FakeOllamaServer.StartAsync();

    protected override LlmProviderSettings Settings(FakeOllamaServer fake) =>
        new("ollama_llm", fake.BaseUrl, "default_api_key", "qwen-test", 0.7, InterruptMethod.System, null, null)
        {
            Api = LlmApi.OllamaNative, KeepAliveSeconds = 300, UnloadAtExit = false,
        };

    protected override string HttpCause(int status) => status switch
    {
        500 => "HTTP 500 Internal Server Error",
        _ => "HTTP 429 Too Many Requests",
    };

    [Fact]
    public async Task Request_is_native_chat_with_system_first_temperature_and_keep_alive()
    {
        var agent = Agent();
        agent.LoadFromHistory(
        [
            new ChatRecord("human", "2026-02-11T13:14:31", "hello", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "Hi there.", "Mao", "mao.png"),
            new ChatRecord("system", "2026-02-11T13:14:33", ChatRecord.InterruptedMarker),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("who are you?")), CancellationToken.None));

        await Eventually.TrueAsync(() => Fake.ChatRequests.Count == 1, Patience);
        var request = Fake.ChatRequests[0];
        Assert.Equal("/api/chat", request.Path);
        Assert.Equal("qwen-test", (string?)request.Body["model"]);
        Assert.True((bool)request.Body["stream"]!);
        Assert.Equal(0.7, (double)request.Body["options"]!["temperature"]!, 5);
        Assert.Equal("300s", (string?)request.Body["keep_alive"]);
        Assert.Equal(
            [("system", SystemPrompt), ("user", "hello"), ("assistant", "Hi there."), ("system", ChatRecord.InterruptedMarker), ("user", "who are you?")],
            request.Body["messages"]!.AsArray().Select(m => ((string)m!["role"]!, (string)m["content"]!)));
    }

    [Fact]
    public async Task Model_is_preloaded_when_the_client_is_built_and_unloaded_when_it_is_disposed()
    {
        var settings = Settings(Fake) with { KeepAliveSeconds = -1, UnloadAtExit = true };

        var client = (OllamaChatClient)LlmProviders.CreateClient(settings);
        await client.Preloaded.WaitAsync(Patience);
        client.Dispose();

        Assert.Equal([("qwen-test", "-1s"), ("qwen-test", "0s")],
            Fake.ModelCalls.Select(r => ((string)r.Body["model"]!, (string)r.Body["keep_alive"]!)));
        Assert.Empty(Fake.ChatRequests);
    }

    [Fact]
    public async Task Without_unload_at_exit_disposing_leaves_the_model_loaded()
    {
        var client = (OllamaChatClient)LlmProviders.CreateClient(Settings(Fake));
        await client.Preloaded.WaitAsync(Patience);
        client.Dispose();

        Assert.Equal(["300s"], Fake.ModelCalls.Select(r => (string)r.Body["keep_alive"]!));
    }

    [Fact]
    public async Task Failed_preload_is_not_fatal_and_the_next_turn_still_streams()
    {
        var settings = Settings(Fake) with { BaseUrl = new Uri("http://127.0.0.1:1") };
        var client = (OllamaChatClient)LlmProviders.CreateClient(settings);

        await client.Preloaded.WaitAsync(Patience);

        var agent = new ChatAgent(client, settings, SystemPrompt);
        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));
        Assert.Equal("connection refused (http://127.0.0.1:1/)", failure.Cause);
    }

    [Fact]
    public async Task Images_are_sent_as_base64_images_while_memory_keeps_only_text()
    {
        var agent = Agent();
        var input = new UserInput("what is this?",
        [
            new ImageInput("camera", Png, "image/png"),
            new ImageInput("screen", Jpeg, "image/jpeg"),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(input), CancellationToken.None));

        await Eventually.TrueAsync(() => Fake.ChatRequests.Count == 1, Patience);
        var last = Fake.ChatRequests[0].Body["messages"]!.AsArray()[^1]!;
        Assert.Equal("what is this?\n[User has also provided images]", (string?)last["content"]);
        Assert.Equal([Png[(Png.IndexOf(',') + 1)..], Jpeg[(Jpeg.IndexOf(',') + 1)..]],
            last["images"]!.AsArray().Select(i => (string)i!));
        Assert.Equal([new MemoryEntry("user", "what is this?")], agent.Memory);
    }
}
