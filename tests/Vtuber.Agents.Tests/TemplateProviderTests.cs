using Vtuber.Domain.History;
using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class TemplateProviderTests : ProviderContract<FakeLlamaCppCompletionServer>
{
    protected override Task<FakeLlamaCppCompletionServer> StartFakeAsync() => FakeLlamaCppCompletionServer.StartAsync();

    protected override LlmProviderSettings Settings(FakeLlamaCppCompletionServer fake) =>
        new("stateless_llm_with_template", fake.CompletionUrl, "somethingelse", "qwen2.5:latest", 0.7, InterruptMethod.User, null, null)
        {
            Api = LlmApi.TemplateCompletion, Template = PromptTemplates.ChatMl,
        };

    protected override string HttpCause(int status) => status switch
    {
        500 => "HTTP 500 Internal Server Error",
        _ => "HTTP 429 Too Many Requests",
    };

    [Fact]
    public async Task Request_is_the_chat_rendered_through_chatml_with_stream_temperature_and_the_raw_key()
    {
        var agent = Agent();
        agent.LoadFromHistory(
        [
            new ChatRecord("human", "2026-02-11T13:14:31", "hello", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "Hi there.", "Mao", "mao.png"),
        ]);

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("who are you?")), CancellationToken.None));

        var request = Assert.Single(Fake.Requests);
        Assert.Equal(FakeLlamaCppCompletionServer.CompletionPath, request.Path);
        // OLV sends the key as the whole header, without a "Bearer " of its own.
        Assert.Equal("somethingelse", request.Header("Authorization"));
        Assert.True((bool)request.Body["stream"]!);
        Assert.Equal(0.7, (double)request.Body["temperature"]!, 6);
        Assert.Equal(["prompt", "stream", "temperature"], request.Body.Select(p => p.Key).Order());
        Assert.Equal(
            $"<|begin_of_text|>    <|im_start|>system\n{SystemPrompt.Trim()}<|im_end|>\n" +
            "    <|im_start|>user\nhello<|im_end|>\n    <|im_start|>assistant\nHi there.<|im_end|>\n" +
            "    <|im_start|>user\nwho are you?<|im_end|>\n    <|im_start|>assistant\n",
            (string?)request.Body["prompt"]);
    }

    [Fact]
    public async Task An_empty_key_is_sent_as_olvs_placeholder_header()
    {
        var agent = Agent(s => s with { ApiKey = "" });

        await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None));

        Assert.Equal("Bearer your_api_key_here", Assert.Single(Fake.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData(PromptTemplates.ChatMl, "<|im_end|>")]
    [InlineData(PromptTemplates.Llama3, "<|eot_id|>")]
    [InlineData(PromptTemplates.Alpaca, "###")]
    public async Task The_templates_end_of_turn_piece_ends_the_reply_as_olvs_loop_does(string template, string endOfTurn)
    {
        Fake.Enqueue(new FakeReply(["Hello", " there.", endOfTurn, "user: pretend turn"]) { StopAfterChunks = 4 });
        var agent = Agent(s => s with { Template = template });

        var deltas = await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None));

        Assert.Equal(["Hello", " there."], deltas);
    }

    [Fact]
    public async Task An_error_inside_the_stream_is_a_provider_exception_with_the_servers_message()
    {
        Fake.Enqueue(new FakeReply([]) { FailWithStatus = 503, FailMessage = "Loading model" });
        var agent = Agent();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal("stateless_llm_with_template", failure.Provider);
        Assert.Contains("503", failure.Cause);
    }
}

public sealed class PromptTemplatesTests
{
    // Rendered by OLV's own Jinja templates (jinja2 3.1.6, bos_token <|begin_of_text|>, add_generation_prompt).
    private static readonly TemplateMessage[] Conversation =
    [
        new("system", "You are Mili.\n"), new("user", "  Hi there "), new("assistant", "Hello!"), new("user", "How are you?"),
    ];

    private static readonly TemplateMessage[] EndsWithAssistant = [new("system", "S"), new("user", "Hi"), new("assistant", "Partial")];

    [Fact]
    public void Chatml_renders_as_olvs_jinja_template()
    {
        Assert.Equal(
            "<|begin_of_text|>    <|im_start|>system\nYou are Mili.<|im_end|>\n    <|im_start|>user\nHi there<|im_end|>\n    <|im_start|>assistant\nHello!<|im_end|>\n    <|im_start|>user\nHow are you?<|im_end|>\n    <|im_start|>assistant\n",
            PromptTemplates.Render(PromptTemplates.ChatMl, Conversation));
    }

    [Fact]
    public void Llama3_renders_as_olvs_jinja_template()
    {
        Assert.Equal(
            "<|begin_of_text|>    <|start_header_id|>system<|end_header_id|>\n\nYou are Mili.<|eot_id|>    <|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>    <|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>    <|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>    <|start_header_id|>assistant<|end_header_id|>\n\n",
            PromptTemplates.Render(PromptTemplates.Llama3, Conversation));
    }

    [Fact]
    public void Alpaca_renders_as_olvs_jinja_template_blank_lines_included()
    {
        Assert.Equal(
            "\nYou are Mili.\n\n\n\n\n\n### Instruction:\nHi there\n\n\n\n\n\n\n### Response:\nHello!\n\n\n\n\n\n\n### Instruction:\nHow are you?\n\n\n\n### Response:\n\n        ",
            PromptTemplates.Render(PromptTemplates.Alpaca, Conversation));
        Assert.Equal("\n\n\n\n\n### Instruction:\nHi\n\n\n\n### Response:\n\n        ",
            PromptTemplates.Render(PromptTemplates.Alpaca, [new("user", "Hi")]));
        // A conversation that ends with the assistant gets no new Response heading.
        Assert.Equal("\nS\n\n\n\n\n\n### Instruction:\nHi\n\n\n\n\n\n\n### Response:\nPartial\n\n\n\n        ",
            PromptTemplates.Render(PromptTemplates.Alpaca, EndsWithAssistant));
    }
}
