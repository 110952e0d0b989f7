using System.Text.Json.Nodes;
using Vtuber.Domain.History;
using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class ClaudeProviderTests : ProviderContract<FakeAnthropicServer>
{
    protected override Task<FakeAnthropicServer> StartFakeAsync() => FakeAnthropicServer.StartAsync();

    protected override LlmProviderSettings Settings(FakeAnthropicServer fake) =>
        new("claude_llm", fake.BaseUrl, "sk-ant-test", "claude-test", 0.7, InterruptMethod.User, null, null)
        {
            Api = LlmApi.AnthropicMessages,
        };

    protected override string HttpCause(int status) => status switch
    {
        500 => "HTTP 500 Internal Server Error",
        _ => "HTTP 429 Too Many Requests",
    };

    [Fact]
    public async Task System_prompt_goes_in_the_system_parameter_with_max_tokens_1024_and_no_temperature()
    {
        var agent = Agent();
        agent.LoadFromHistory(
        [
            new ChatRecord("human", "2026-02-11T13:14:31", "hello", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "Hi there.", "Mao", "mao.png"),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("who are you?")), CancellationToken.None));

        var body = (await Fake.WaitForRequestAsync(0, Patience)).Body;
        Assert.Equal("claude-test", (string?)body["model"]);
        Assert.Equal(1024, (int)body["max_tokens"]!);
        Assert.True((bool)body["stream"]!);
        // As OLV's Claude client: no temperature (the SDK leaves it out; OLV's claude_llm has no such key).
        Assert.Null(body["temperature"]);
        Assert.Equal(SystemPrompt, SystemText(body["system"]));
        Assert.Equal([("user", "hello"), ("assistant", "Hi there."), ("user", "who are you?")], Turns(body));
    }

    [Fact]
    public async Task System_role_memory_entries_are_sent_as_user_messages_in_place()
    {
        var agent = Agent(s => s with { InterruptMethod = InterruptMethod.System });
        agent.LoadFromHistory(
        [
            new ChatRecord("human", "2026-02-11T13:14:31", "tell me a story", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "Once upon...", "Mao"),
            new ChatRecord("system", "2026-02-11T13:14:33", ChatRecord.InterruptedMarker),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("sorry, go on")), CancellationToken.None));

        var body = (await Fake.WaitForRequestAsync(0, Patience)).Body;
        Assert.Equal(SystemPrompt, SystemText(body["system"]));
        Assert.Equal(
            [("user", "tell me a story"), ("assistant", "Once upon..."), ("user", ChatRecord.InterruptedMarker), ("user", "sorry, go on")],
            Turns(body));
    }

    [Fact]
    public async Task Api_key_is_sent_and_accepted_as_x_api_key_or_bearer()
    {
        await CollectAsync(Agent().StreamAsync(Agent().BeginTurn(Text("hi")), CancellationToken.None));

        var request = await Fake.WaitForRequestAsync(0, Patience);
        Assert.True(request.Header("x-api-key") == "sk-ant-test" || request.Header("authorization") == "Bearer sk-ant-test",
            $"x-api-key={request.Header("x-api-key")}, authorization={request.Header("authorization")}");
        Assert.NotNull(request.Header("anthropic-version"));
    }

    [Fact]
    public async Task Images_are_sent_as_base64_image_blocks_while_memory_keeps_only_text()
    {
        var agent = Agent();
        var input = new UserInput("what is this?",
        [
            new ImageInput("camera", Png, "image/png"),
            new ImageInput("screen", Jpeg, "image/jpeg"),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(input), CancellationToken.None));

        var content = (await Fake.WaitForRequestAsync(0, Patience)).Body["messages"]!.AsArray()[^1]!["content"]!.AsArray();
        Assert.Equal(["text", "image", "image"], content.Select(p => (string)p!["type"]!));
        Assert.Equal("what is this?\n[User has also provided images]", (string?)content[0]!["text"]);
        Assert.Equal([("base64", "image/png", Png[(Png.IndexOf(',') + 1)..]), ("base64", "image/jpeg", Jpeg[(Jpeg.IndexOf(',') + 1)..])],
            content.Skip(1).Select(p => ((string)p!["source"]!["type"]!, (string)p["source"]!["media_type"]!, (string)p["source"]!["data"]!)));
        Assert.Equal([new MemoryEntry("user", "what is this?")], agent.Memory);
    }

    private static string SystemText(JsonNode? system) => system switch
    {
        JsonArray blocks => string.Concat(blocks.Select(b => (string?)b!["text"])),
        _ => (string)system!,
    };

    private static List<(string, string)> Turns(JsonObject body) => body["messages"]!.AsArray()
        .Select(m => ((string)m!["role"]!, m["content"] switch
        {
            JsonArray parts => string.Concat(parts.Where(p => (string?)p!["type"] == "text").Select(p => (string?)p!["text"])),
            var c => (string)c!,
        })).ToList();
}
