using System.Text.Json.Nodes;
using Vtuber.Domain.History;
using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class ChatAgentStreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private FakeOpenAiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private ChatAgent Agent(InterruptMethod method = InterruptMethod.User, string apiKey = "")
    {
        var settings = Settings(_fake.BaseUrl, method, apiKey);
        return new ChatAgent(LlmProviders.CreateClient(settings), settings, SystemPrompt);
    }

    private static async Task<List<string>> CollectAsync(IAsyncEnumerable<string> deltas)
    {
        var received = new List<string>();
        await foreach (var delta in deltas)
        {
            received.Add(delta);
        }
        return received;
    }

    // OpenAI accepts message content as a string or as a list of typed parts.
    private static string TextOf(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.Where(p => (string?)p!["type"] == "text").Select(p => (string?)p!["text"])),
        _ => content!.GetValue<string>(),
    };

    [Fact]
    public async Task Reply_deltas_arrive_in_order_and_request_carries_model_temperature_prompt_memory_and_input()
    {
        _fake.Enqueue(new FakeReply(["[joy] Hi", "! Nice", " to meet", " you."]));
        var agent = Agent();
        agent.LoadFromHistory(
        [
            new ChatRecord("human", "2026-02-11T13:14:31", "hello", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "Hi there.", "Mao", "mao.png"),
        ]);

        var deltas = await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("who are you?")), CancellationToken.None));

        Assert.Equal(["[joy] Hi", "! Nice", " to meet", " you."], deltas);
        var request = await _fake.WaitForRequestAsync(0, Patience);
        Assert.Equal("test-model", (string?)request.Body["model"]);
        Assert.Equal(0.7, (double)request.Body["temperature"]!, 5);
        Assert.True((bool)request.Body["stream"]!);
        Assert.Equal(
            [("system", SystemPrompt), ("user", "hello"), ("assistant", "Hi there."), ("user", "who are you?")],
            request.Messages.Select(m => ((string)m!["role"]!, TextOf(m["content"]))));
    }

    [Fact]
    public async Task Missing_api_key_is_sent_as_a_placeholder_bearer_token()
    {
        var agent = Agent(apiKey: "");

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None));

        Assert.Equal("Bearer not-needed", (await _fake.WaitForRequestAsync(0, Patience)).Authorization);
    }

    [Fact]
    public async Task Configured_api_key_is_sent_as_the_bearer_token()
    {
        var agent = Agent(apiKey: "sk-test-123");

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None));

        Assert.Equal("Bearer sk-test-123", (await _fake.WaitForRequestAsync(0, Patience)).Authorization);
    }

    [Fact]
    public async Task Images_are_sent_as_image_url_parts_while_memory_keeps_only_text()
    {
        const string png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        const string jpeg = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2w==";
        var agent = Agent();
        var input = new UserInput("what is this?",
        [
            new ImageInput("camera", png, "image/png"),
            new ImageInput("screen", jpeg, "image/jpeg"),
            new ImageInput("file", "https://example.com/not-a-data-url.png", "image/png"),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(input), CancellationToken.None));

        var parts = (await _fake.WaitForRequestAsync(0, Patience)).Messages[^1]!["content"]!.AsArray();
        Assert.Equal(["text", "image_url", "image_url"], parts.Select(p => (string)p!["type"]!));
        Assert.Equal("what is this?\n[User has also provided images]", (string?)parts[0]!["text"]);
        Assert.Equal([(png, "auto"), (jpeg, "auto")],
                     parts.Skip(1).Select(p => ((string)p!["image_url"]!["url"]!, (string?)p["image_url"]!["detail"])));
        Assert.Equal([new MemoryEntry("user", "what is this?")], agent.Memory);
    }

    [Theory]
    [InlineData(500, "HTTP 500 Internal Server Error")]
    [InlineData(429, "HTTP 429 Too Many Requests")]
    public async Task Http_error_becomes_a_provider_exception_naming_provider_and_status(int status, string cause)
    {
        _fake.Enqueue(new FakeReply([]) { FailWithStatus = status });
        var agent = Agent();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal("openai_compatible_llm", failure.Provider);
        Assert.Equal(cause, failure.Cause);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Refused_connection_becomes_a_provider_exception_naming_the_url()
    {
        var settings = Settings(new Uri("http://127.0.0.1:1/v1"));
        var agent = new ChatAgent(LlmProviders.CreateClient(settings), settings, SystemPrompt);

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal("openai_compatible_llm", failure.Provider);
        Assert.Equal("connection refused (http://127.0.0.1:1/v1)", failure.Cause);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Connection_reset_mid_stream_fails_instead_of_yielding_a_short_reply(int cutAfter)
    {
        _fake.Enqueue(new FakeReply(["One", " two", " three", " four."]) { CutAfterChunks = cutAfter });
        var agent = Agent();
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("count")), CancellationToken.None))
            {
                received.Add(delta);
            }
        });

        Assert.Equal("stream ended unexpectedly", failure.Cause);
        // A reset may discard chunks the client had not read yet, so only a prefix is certain to arrive.
        Assert.Equal(new[] { "One", " two", " three", " four." }.Take(received.Count), received);
        Assert.True(received.Count <= cutAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Stream_ending_without_a_finish_chunk_fails_after_the_text_it_carried(int stopAfter)
    {
        _fake.Enqueue(new FakeReply(["One", " two", " three", " four."]) { StopAfterChunks = stopAfter });
        var agent = Agent();
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("count")), CancellationToken.None))
            {
                received.Add(delta);
            }
        });

        Assert.Equal("stream ended unexpectedly", failure.Cause);
        Assert.Equal(new[] { "One", " two", " three", " four." }.Take(stopAfter), received);
    }

    [Fact]
    public async Task Cancelling_before_the_first_token_aborts_the_request()
    {
        _fake.Enqueue(new FakeReply([]) { Hang = true });
        var agent = Agent();
        using var cts = new CancellationTokenSource();

        var streaming = CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), cts.Token));
        await _fake.WaitForRequestAsync(0, Patience);
        Assert.Equal(1, _fake.ActiveStreams);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => streaming);
        await Eventually.TrueAsync(() => _fake.ActiveStreams == 0, Patience);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_reading_and_closes_the_stream()
    {
        _fake.Enqueue(new FakeReply(["first", " second", " third"]) { ChunkDelay = TimeSpan.FromMinutes(5) });
        var agent = Agent();
        using var cts = new CancellationTokenSource();
        var received = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("hi")), cts.Token))
            {
                received.Add(delta);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["first"], received);
        await Eventually.TrueAsync(() => _fake.ActiveStreams == 0, Patience);
    }
}
