using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>A whole text turn over a real socket with claude_llm and with native ollama_llm, each against its fake.</summary>
public sealed class ProviderTurnTests
{
    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private static async Task<List<JsonObject>> RunTurnAsync(RunningServer server, object textInput)
    {
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        await client.ReceiveAsync();
        await client.SendAsync(textInput);
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        if (frames.Any(f => OlvClient.Type(f) == "error"))
        {
            return frames;
        }
        await client.SendAsync(new { type = "frontend-playback-complete" });
        frames.AddRange(await client.ReceiveUntilAsync("control", "conversation-chain-end"));
        return frames;
    }

    private static async Task<RunningServer> StartAsync(FakeOpenAiServer unused, FakeSpeechServer tts, string key, string block) =>
        await RunningServer.StartAsync(ServerFolder.Create(unused.BaseUrl, tts.BaseUrl, llmProvider: (key, block)), unused, tts);

    [Fact]
    public async Task Claude_turn_speaks_the_reply_and_sends_the_image_as_a_base64_block()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var claude = await FakeAnthropicServer.StartAsync();
        claude.ReplyTo("what is this?\n[User has also provided images]", new FakeReply(["[joy] A tiny", " picture. Cute!"]));
        await using var server = await StartAsync(unused, tts, "claude_llm", $"""
            base_url: '{claude.BaseUrl}'
            llm_api_key: 'sk-ant-e2e'
            model: 'claude-e2e'
            """);

        var frames = await RunTurnAsync(server, new
        {
            type = "text-input", text = "what is this?",
            images = new[] { new { source = "camera", data = Png, mime_type = "image/png" } },
        });

        Assert.Equal(["audio([joy] A tiny picture.)", "audio(Cute!)"],
            frames.Where(f => OlvClient.Type(f) == "audio").Select(OlvClient.Describe));
        Assert.Equal("control(conversation-chain-end)", OlvClient.Describe(frames[^1]));
        var request = Assert.Single(claude.Requests);
        Assert.Contains("You are Mao", string.Concat(request.Body["system"]!.AsArray().Select(b => (string?)b!["text"])));
        var content = request.Body["messages"]!.AsArray()[^1]!["content"]!.AsArray();
        Assert.Equal(["text", "image"], content.Select(p => (string)p!["type"]!));
        Assert.Equal(Png[(Png.IndexOf(',') + 1)..], (string?)content[1]!["source"]!["data"]);
    }

    [Fact]
    public async Task Stateless_llm_with_template_turn_speaks_the_completion_of_the_chatml_prompt()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var completion = await FakeLlamaCppCompletionServer.StartAsync();
        completion.DefaultReply = new FakeReply(["[joy] Hello", " from llama.cpp. ", "Nice!", "<|im_end|>"]);
        await using var server = await StartAsync(unused, tts, "stateless_llm_with_template", $"""
            base_url: '{completion.CompletionUrl}'
            llm_api_key: 'Bearer e2e'
            model: 'qwen2.5:latest'
            template: 'CHATML'
            """);

        var frames = await RunTurnAsync(server, new { type = "text-input", text = "hi there" });

        Assert.Equal(["audio([joy] Hello from llama.cpp.)", "audio(Nice!)"],
            frames.Where(f => OlvClient.Type(f) == "audio").Select(OlvClient.Describe));
        var request = Assert.Single(completion.Requests);
        Assert.Equal("Bearer e2e", request.Header("Authorization"));
        var prompt = (string)request.Body["prompt"]!;
        Assert.StartsWith("<|begin_of_text|>    <|im_start|>system\nYou are Mao", prompt, StringComparison.Ordinal);
        Assert.EndsWith("    <|im_start|>user\nhi there<|im_end|>\n    <|im_start|>assistant\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Letta_agent_turn_speaks_the_letta_servers_assistant_messages()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var letta = await FakeLettaServer.StartAsync();
        letta.ReplyTo("hi letta", new FakeReply(["[joy] I remember", " you. ", "Welcome back!"]));
        var folder = ServerFolder.Create(unused.BaseUrl, tts.BaseUrl);
        var yaml = File.ReadAllText(folder.ConfigPath);
        const string choice = "    conversation_agent_choice: 'basic_memory_agent'\n    agent_settings:\n";
        Assert.Contains(choice, yaml);
        File.WriteAllText(folder.ConfigPath, yaml.Replace(choice,
            "    conversation_agent_choice: 'letta_agent'\n    agent_settings:\n      letta_agent:\n" +
            $"        host: '{letta.Origin.Host}'\n        port: {letta.Origin.Port}\n        id: '{FakeLettaServer.AgentId}'\n",
            StringComparison.Ordinal));
        await using var server = await RunningServer.StartAsync(folder, unused, tts);

        var frames = await RunTurnAsync(server, new { type = "text-input", text = "hi letta" });

        Assert.Equal(["audio([joy] I remember you.)", "audio(Welcome back!)"],
            frames.Where(f => OlvClient.Type(f) == "audio").Select(OlvClient.Describe));
        Assert.Equal("hi letta", (string?)Assert.Single(letta.Requests).Body["messages"]![0]!["content"]);
        Assert.Empty(unused.Requests);
    }

    [Fact]
    public async Task Claude_that_hangs_ends_the_turn_with_an_error_frame_after_the_first_token_timeout()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var claude = await FakeAnthropicServer.StartAsync();
        claude.DefaultReply = new FakeReply([]) { Hang = true };
        await using var server = await StartAsync(unused, tts, "claude_llm", $"""
            base_url: '{claude.BaseUrl}'
            llm_api_key: 'sk-ant-e2e'
            model: 'claude-e2e'
            first_token_timeout_seconds: 0.5
            """);
        await using var client = await server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "text-input", text = "hello?" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Equal("Error processing agent response: LLM provider claude_llm failed: no reply within 0.5 s (first-token timeout)",
            (string?)error["message"]);
        Assert.DoesNotContain(frames, f => OlvClient.Type(f) == "audio");
        await Eventually.TrueAsync(() => claude.ActiveStreams == 0, because: "the hung request is closed");
    }

    [Fact]
    public async Task Native_ollama_turn_preloads_the_model_streams_the_reply_and_unloads_at_exit()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var ollama = await FakeOllamaServer.StartAsync();
        ollama.ReplyTo("hello", new FakeReply(["Hi", " there!", " How are", " you?"]));
        await using var server = await StartAsync(unused, tts, "ollama_llm", $"""
            base_url: '{ollama.BaseUrl}v1'
            model: 'qwen2.5:latest'
            keep_alive: 600
            """);

        var frames = await RunTurnAsync(server, new { type = "text-input", text = "hello" });

        Assert.Equal(["audio(Hi there!)", "audio(How are you?)"],
            frames.Where(f => OlvClient.Type(f) == "audio").Select(OlvClient.Describe));
        Assert.Equal("control(conversation-chain-end)", OlvClient.Describe(frames[^1]));
        var chat = Assert.Single(ollama.ChatRequests);
        Assert.Equal("/api/chat", chat.Path);
        Assert.Equal("600s", (string?)chat.Body["keep_alive"]);
        Assert.Equal("system", (string?)chat.Body["messages"]![0]!["role"]);
        Assert.Equal([("qwen2.5:latest", "600s")],
            ollama.ModelCalls.Select(r => ((string)r.Body["model"]!, (string)r.Body["keep_alive"]!)));

        await server.StopAsync();
        Assert.Equal([("qwen2.5:latest", "600s"), ("qwen2.5:latest", "0s")],
            ollama.ModelCalls.Select(r => ((string)r.Body["model"]!, (string)r.Body["keep_alive"]!)));
    }
}
