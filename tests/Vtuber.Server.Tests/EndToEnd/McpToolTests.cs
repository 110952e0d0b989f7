using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// MCP tool calls end to end (olv-protocol 2.14, 7.5): the fake LLM streams real OpenAI tool-call deltas, the tools
/// run on real MCP servers (tests/Vtuber.FakeMcpServer over stdio, <see cref="FakeMcpHttpServer"/> over HTTP), and
/// the client sees tool_call_status frames and the spoken answer on a real socket.
/// </summary>
public sealed partial class McpToolTests
{
    private static readonly string FakeServerDll = Path.Combine(AppContext.BaseDirectory, "Vtuber.FakeMcpServer.dll");
    private static readonly string[] OlvKeys = ["type", "tool_id", "tool_name", "status", "content", "timestamp", "name"];

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00Z$")]
    private static partial Regex OlvTimestamp();

    private static string StdioServer(string name) =>
        $$"""  "{{name}}": { "command": "dotnet", "args": [{{JsonSerializer.Serialize(FakeServerDll)}}] }""";

    /// <summary>A server whose conf.yaml turns use_mcpp on for <paramref name="enabled"/>, beside an mcp_servers.json.</summary>
    private static async Task<RunningServer> StartAsync(FakeOpenAiServer llm, FakeSpeechServer tts, string servers,
        string enabled, string? mcpYaml = null, CapturedLogs? logs = null, (string Key, string Block)? llmProvider = null,
        params (string Old, string New)[] edits)
    {
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: mcpYaml, llmProvider: llmProvider);
        folder.EditConfig([("segment_method: 'pysbd'",
            $"segment_method: 'pysbd'\n        use_mcpp: true\n        mcp_enabled_servers: [{enabled}]"), .. edits]);
        File.WriteAllText(Path.Combine(folder.Root, "mcp_servers.json"), $$"""{ "mcp_servers": { {{servers}} } }""");
        return await RunningServer.StartAsync(folder, llm, tts, customize: logs is null ? null : logs.AddTo);
    }

    /// <summary>One text turn to its chain-end, confirming playback when the server waits for it.</summary>
    private static async Task<List<JsonObject>> TurnAsync(OlvClient client, string text)
    {
        await client.SendAsync(new { type = "text-input", text });
        var frames = new List<JsonObject>();
        while (true)
        {
            var frame = await client.ReceiveAsync();
            frames.Add(frame);
            if (OlvClient.Type(frame) == "backend-synth-complete")
            {
                await client.SendAsync(new { type = "frontend-playback-complete" });
            }
            if (OlvClient.Describe(frame) == "control(conversation-chain-end)")
            {
                return frames;
            }
        }
    }

    private static List<JsonObject> Statuses(IEnumerable<JsonObject> frames) =>
        frames.Where(f => OlvClient.Type(f) == "tool_call_status").ToList();

    private static string Status(JsonObject frame) =>
        $"{frame["tool_id"]} {frame["tool_name"]} {frame["status"]}: {frame["content"]}";

    private static List<string> Spoken(IEnumerable<JsonObject> frames) =>
        frames.Where(f => OlvClient.Type(f) == "audio").Select(f => (string)f["display_text"]!["text"]!).ToList();

    [Fact]
    public async Task A_turn_that_needs_a_tool_shows_running_then_completed_and_speaks_the_answer_built_on_its_result()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.ReplyTo("what time is it?", new FakeReply(["Let me check."])
        {
            ToolCalls = [new FakeToolCall("call_time_1", "get_current_time", """{"timezone": "UTC"}""")],
        });
        llm.AnswerToolResults = results => new FakeReply([results[0], " Anything else?"]);
        await using var server = await StartAsync(llm, tts, StdioServer("time"), "'time'");
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "what time is it?");

        var statuses = Statuses(frames);
        Assert.Equal(
        [
            """call_time_1 get_current_time running: Input: {"timezone": "UTC"}""",
            $"call_time_1 get_current_time completed: {FakeMcpTools.Time} in UTC.",
        ], statuses.Select(Status));
        foreach (var status in statuses)
        {
            Assert.Equal(OlvKeys, status.Select(p => p.Key));
            Assert.Equal("Mao", (string?)status["name"]);
            Assert.Matches(OlvTimestamp(), (string)status["timestamp"]!);
        }
        Assert.Equal(["Let me check.", $"{FakeMcpTools.Time} in UTC.", "Anything else?"], Spoken(frames));
        Assert.True(frames.FindIndex(f => (string?)f["status"] == "completed")
                    < frames.FindIndex(f => (string?)f["display_text"]?["text"] == $"{FakeMcpTools.Time} in UTC."));
        Assert.Equal("control(conversation-chain-end)", OlvClient.Describe(frames[^1]));

        // The model got the tool schema, then its own call and the result as OpenAI messages.
        var first = llm.Requests[0].Body;
        Assert.Contains("get_current_time", first["tools"]!.AsArray().Select(t => (string?)t!["function"]!["name"]));
        var second = llm.Requests[1].Messages;
        var call = second[^2]!["tool_calls"]!.AsArray().Single()!;
        Assert.Equal(("call_time_1", "get_current_time"), ((string?)call["id"], (string?)call["function"]!["name"]));
        Assert.Equal(("tool", "call_time_1", $"{FakeMcpTools.Time} in UTC."),
            ((string?)second[^1]!["role"], (string?)second[^1]!["tool_call_id"], (string?)second[^1]!["content"]));

        // What was said before the call stays in memory with the rest of the reply.
        llm.ReplyTo("thanks", new FakeReply(["You are welcome."]));
        await TurnAsync(client, "thanks");
        var remembered = llm.Requests[^1].Messages[^2]!;
        Assert.Equal(("assistant", $"Let me check.{FakeMcpTools.Time} in UTC. Anything else?"),
            ((string?)remembered["role"], (string?)remembered["content"]));
    }

    [Fact]
    public async Task In_a_group_every_member_sees_the_speakers_tool_calls()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.ReplyTo("Human: what time is it?", new FakeReply([])
        {
            ToolCalls = [new FakeToolCall("call_group_1", "get_current_time", """{"timezone": "UTC"}""")],
        });
        llm.AnswerToolResults = results => new FakeReply([results[0]]);
        await using var server = await StartAsync(llm, tts, StdioServer("time"), "'time'", mcpYaml: "  group:\n    max_rounds: 1");
        await using var speaker = await GroupChatTests.JoinAsync(server);
        await using var listener = await GroupChatTests.JoinAsync(server);
        await GroupChatTests.FormGroupAsync(speaker, listener);

        await speaker.Client.SendAsync(new { type = "text-input", text = "what time is it?" });
        var spoken = await GroupChatTests.PlayTurnAsync(speaker.Client);
        var heard = await listener.Client.ReceiveUntilAsync("force-new-message");

        string[] expected = [
            """call_group_1 get_current_time running: Input: {"timezone": "UTC"}""",
            $"call_group_1 get_current_time completed: {FakeMcpTools.Time} in UTC.",
        ];
        Assert.Equal(expected, Statuses(spoken).Select(Status));
        Assert.Equal(expected, Statuses(heard).Select(Status));
        Assert.All(Statuses(heard), s => Assert.Equal("Mao", (string?)s["name"]));
        Assert.DoesNotContain(heard, f => OlvClient.Type(f) == "audio" && !(bool)f["forwarded"]!); // its audio stayed with the speaker
    }

    [Fact]
    public async Task A_server_reached_by_url_over_http_serves_tools_and_only_olvs_fields_reach_the_client()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var mcp = await FakeMcpHttpServer.StartAsync();
        llm.ReplyTo("show me the sky", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_photo", "take_photo", "{}")] });
        llm.AnswerToolResults = _ => new FakeReply(["What a blue sky!"]);
        await using var server = await StartAsync(llm, tts, $$"""  "camera": { "url": "{{mcp.Url}}" }""", "'camera'");
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "show me the sky");

        Assert.Equal(
        [
            "call_photo take_photo running: Input: {}",
            "call_photo take_photo completed: A photo of a blue sky.\n[Tool returned 1 image(s)]",
        ], Statuses(frames).Select(Status));
        Assert.Equal(["What a blue sky!"], Spoken(frames));
        Assert.Equal("A photo of a blue sky.\nTaken just now.\n[Tool returned 1 image(s)]",
            (string?)llm.Requests[1].Messages[^1]!["content"]);
        // The image itself goes nowhere: not to the client, not to the model.
        Assert.DoesNotContain(frames, f => f.ToJsonString().Contains("iVBOR", StringComparison.Ordinal));
        Assert.DoesNotContain("iVBOR", llm.Requests[1].Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_failures_are_error_statuses_the_model_hears_about_and_the_session_goes_on()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var mcp = await FakeMcpHttpServer.StartAsync();
        llm.ReplyTo("weather?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_w", "check_weather", """{"place": "Paris"}""")] });
        llm.ReplyTo("magic?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_m", "cast_spell", "{}")] });
        llm.ReplyTo("broken?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_b", "get_current_time", """{"timezone": """)] });
        llm.ReplyTo("wait?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_h", "hang", "{}")] });
        llm.AnswerToolResults = results => new FakeReply(["Sorry that did not work."]);
        await using var server = await StartAsync(llm, tts, $$"""  "tools": { "url": "{{mcp.Url}}", "timeout": 0.5 }""", "'tools'");
        await using var client = await server.ConnectPastGreetingAsync();

        var weather = await TurnAsync(client, "weather?");
        Assert.Equal(
        [
            """call_w check_weather running: Input: {"place": "Paris"}""",
            "call_w check_weather error: Error: the weather station at Paris is offline",
        ], Statuses(weather).Select(Status));
        Assert.Equal("Error: the weather station at Paris is offline", (string?)llm.Requests[^1].Messages[^1]!["content"]);
        Assert.Equal(["Sorry that did not work."], Spoken(weather));

        var unknown = await TurnAsync(client, "magic?");
        var unknownStatus = Assert.Single(Statuses(unknown));
        Assert.Equal(("call_m", "cast_spell", "error"),
            ((string?)unknownStatus["tool_id"], (string?)unknownStatus["tool_name"], (string?)unknownStatus["status"]));
        Assert.Equal("Error: Requested function \"cast_spell\" not found.", (string)unknownStatus["content"]!);
        Assert.Contains("cast_spell", (string)unknownStatus["content"]!);
        Assert.Equal(["Sorry that did not work."], Spoken(unknown));

        var broken = await TurnAsync(client, "broken?");
        var brokenStatus = Assert.Single(Statuses(broken));
        Assert.Equal(("call_b", "error"), ((string?)brokenStatus["tool_id"], (string?)brokenStatus["status"]));
        Assert.StartsWith("Error: the arguments of get_current_time are not valid JSON (", (string)brokenStatus["content"]!);
        Assert.Equal((string?)brokenStatus["content"], (string?)llm.Requests[^1].Messages[^1]!["content"]);
        Assert.Equal(["Sorry that did not work."], Spoken(broken));

        var hang = await TurnAsync(client, "wait?");
        Assert.Equal(["call_h hang running: Input: {}", "call_h hang error: Error: hang did not answer within 0.5 s"],
            Statuses(hang).Select(Status));
        Assert.Equal(["Sorry that did not work."], Spoken(hang));
        await Eventually.TrueAsync(() => mcp.Tools.HangsCancelled == 1, because: "the timed-out call is cancelled on the server");

        Assert.Empty(await client.DrainAsync());
        Assert.DoesNotContain(client.Received, f => OlvClient.Type(f) == "error");
    }

    [Fact]
    public async Task An_interrupt_cancels_the_running_tool_call()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var mcp = await FakeMcpHttpServer.StartAsync();
        llm.ReplyTo("wait forever", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_h", "hang", "{}")] });
        await using var server = await StartAsync(llm, tts, $$"""  "tools": { "url": "{{mcp.Url}}" }""", "'tools'");
        await using var client = await server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "text-input", text = "wait forever" });
        await client.ReceiveUntilAsync("tool_call_status");
        await Eventually.TrueAsync(() => mcp.Tools.HangsStarted == 1);
        await client.SendAsync(new { type = "interrupt-signal", text = "" });

        await Eventually.TrueAsync(() => mcp.Tools.HangsCancelled == 1, because: "the interrupt cancels the call on the server");
        Assert.Empty(Statuses(await client.DrainAsync()));
        llm.ReplyTo("still there?", new FakeReply(["Yes."]));
        Assert.Equal(["Yes."], Spoken(await TurnAsync(client, "still there?")));
    }

    [Fact]
    public async Task A_server_that_dies_during_a_call_is_an_error_status_and_is_restarted()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.ReplyTo("stop the server", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_x", "exit_server", "{}")] });
        llm.ReplyTo("what time is it?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_t", "get_current_time", """{"timezone": "UTC"}""")] });
        llm.AnswerToolResults = results => new FakeReply([results[0]]);
        await using var server = await StartAsync(llm, tts, StdioServer("fake"), "'fake'");
        await using var client = await server.ConnectPastGreetingAsync();

        var died = await TurnAsync(client, "stop the server");
        var statuses = Statuses(died);
        Assert.Equal(["running", "error"], statuses.Select(s => (string)s["status"]!));
        Assert.Equal("Error: MCP server 'fake' stopped during the call", (string?)statuses[1]["content"]);
        Assert.Equal("Error: MCP server 'fake' stopped during the call", (string?)llm.Requests[^1].Messages[^1]!["content"]);

        // Supervised: the server comes back (1 s backoff) and its tools with it.
        await Eventually.TrueAsync(async () =>
        {
            var frames = await TurnAsync(client, "what time is it?");
            return Statuses(frames).Any(s => (string?)s["status"] == "completed");
        }, TimeSpan.FromSeconds(30), "the restarted server answers");
    }

    [Fact]
    public async Task A_server_that_cannot_start_is_one_warning_and_the_other_servers_tools_work()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.ReplyTo("what time is it?", new FakeReply([]) { ToolCalls = [new FakeToolCall("call_t", "get_current_time", """{"timezone": "UTC"}""")] });
        llm.AnswerToolResults = results => new FakeReply([results[0]]);
        var logs = new CapturedLogs();
        await using var server = await StartAsync(llm, tts,
            """  "broken": { "command": "/nonexistent/mcp-server" },""" + StdioServer("time"), "'broken', 'time', 'absent'",
            logs: logs);
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "what time is it?");

        Assert.Equal(["running", "completed"], Statuses(frames).Select(s => (string)s["status"]!));
        Assert.Equal([$"{FakeMcpTools.Time} in UTC."], Spoken(frames));
        Assert.Single(logs.Warnings, w => w.Contains("'broken' cannot start", StringComparison.Ordinal));
        Assert.Single(logs.Warnings, w => w.Contains("'absent'", StringComparison.Ordinal));
        var offered = llm.Requests[0].Body["tools"]!.AsArray().Select(t => (string)t!["function"]!["name"]!).ToList();
        Assert.Equal(["get_current_time", "check_weather", "take_photo", "hang", "exit_server"], offered);
    }

    [Fact]
    public async Task The_tool_loop_stops_after_max_tool_rounds_and_the_turn_ends()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var mcp = await FakeMcpHttpServer.StartAsync();
        var calls = 0;
        FakeReply Again() => new(["Again."]) { ToolCalls = [new FakeToolCall($"call_{Interlocked.Increment(ref calls)}", "take_photo", "{}")] };
        llm.ReplyTo("loop", Again());
        llm.AnswerToolResults = _ => Again();
        await using var server = await StartAsync(llm, tts, $$"""  "camera": { "url": "{{mcp.Url}}" }""", "'camera'",
            mcpYaml: "  mcp:\n    max_tool_rounds: 2");
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "loop");

        Assert.Equal("control(conversation-chain-end)", OlvClient.Describe(frames[^1]));
        // Two rounds of tool calls, then one last model call without tools, whose calls are not run.
        Assert.Equal([true, true, false], llm.Requests.Select(r => r.Body.ContainsKey("tools")));
        Assert.Equal(["call_1 running", "call_1 completed", "call_2 running", "call_2 completed"],
            Statuses(frames).Select(s => $"{s["tool_id"]} {s["status"]}"));
    }

    [Fact]
    public async Task Claude_tool_use_blocks_run_the_tool_and_the_answer_speaks_its_result()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var claude = await FakeAnthropicServer.StartAsync();
        claude.ReplyTo("what time is it?", new FakeReply(["One moment."])
        {
            ToolCalls = [new FakeToolCall("toolu_01", "get_current_time", """{"timezone": "UTC"}""")],
        });
        claude.AnswerToolResults = results => new FakeReply([results[0]]);
        await using var server = await StartAsync(unused, tts, StdioServer("time"), "'time'", llmProvider: ("claude_llm", $"""
            base_url: '{claude.BaseUrl}'
            llm_api_key: 'sk-ant-e2e'
            model: 'claude-e2e'
            """));
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "what time is it?");

        Assert.Equal(
        [
            """toolu_01 get_current_time running: Input: {"timezone": "UTC"}""",
            $"toolu_01 get_current_time completed: {FakeMcpTools.Time} in UTC.",
        ], Statuses(frames).Select(Status));
        Assert.Equal(["One moment.", $"{FakeMcpTools.Time} in UTC."], Spoken(frames));
        Assert.Contains("get_current_time", claude.Requests[0].Body["tools"]!.AsArray().Select(t => (string?)t!["name"]));
        var result = claude.Requests[1].Body["messages"]!.AsArray()[^1]!["content"]!.AsArray().Single()!;
        Assert.Equal(("tool_result", "toolu_01"), ((string?)result["type"], (string?)result["tool_use_id"]));
    }

    [Fact]
    public async Task Ollama_native_tool_calls_run_the_tool_and_the_answer_speaks_its_result()
    {
        await using var unused = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var ollama = await FakeOllamaServer.StartAsync();
        ollama.ReplyTo("what time is it?", new FakeReply([])
        {
            ToolCalls = [new FakeToolCall("", "get_current_time", """{"timezone": "UTC"}""")],
        });
        // OllamaSharp sends a tool message's content as the JSON of the whole result: {"CallId": …, "Result": …}.
        ollama.AnswerToolResults = results => new FakeReply([(string)JsonNode.Parse(results[0])!["Result"]!]);
        await using var server = await StartAsync(unused, tts, StdioServer("time"), "'time'", llmProvider: ("ollama_llm", $"""
            base_url: '{ollama.BaseUrl}'
            model: 'qwen2.5:latest'
            unload_at_exit: false
            """));
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "what time is it?");

        var statuses = Statuses(frames);
        Assert.Equal(
        [
            """get_current_time running: Input: {"timezone": "UTC"}""",
            $"get_current_time completed: {FakeMcpTools.Time} in UTC.",
        ], statuses.Select(s => $"{s["tool_name"]} {s["status"]}: {s["content"]}"));
        // Ollama's calls carry no id: both statuses share the one the client made up.
        Assert.Equal((string?)statuses[0]["tool_id"], (string?)statuses[1]["tool_id"]);
        Assert.False(string.IsNullOrEmpty((string?)statuses[0]["tool_id"]));
        Assert.Equal([$"{FakeMcpTools.Time} in UTC."], Spoken(frames));
        Assert.Contains("get_current_time",
            ollama.ChatRequests[0].Body["tools"]!.AsArray().Select(t => (string?)t!["function"]!["name"]));
    }

    [Fact]
    public async Task A_model_that_does_not_support_tools_is_asked_again_in_prompt_mode_and_never_sent_tools_again()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.Enqueue(new FakeReply([]) { FailWithStatus = 400, FailMessage = "registry.ollama.ai/library/gemma:2b does not support tools" });
        llm.Enqueue(new FakeReply(["Hello there."]));
        llm.Enqueue(new FakeReply(["Still here."]));
        await using var server = await StartAsync(llm, tts, StdioServer("time"), "'time'");
        await using var client = await server.ConnectPastGreetingAsync();

        Assert.Equal(["Hello there."], Spoken(await TurnAsync(client, "hi")));
        Assert.Equal(["Still here."], Spoken(await TurnAsync(client, "and now?")));

        Assert.Equal([true, false, false], llm.Requests.Select(r => r.Body.ContainsKey("tools")));
        Assert.All(llm.Requests.Skip(1), r => Assert.Contains("Server: time\n  Tool: get_current_time",
            (string)r.Messages[0]!["content"]!, StringComparison.Ordinal));
        Assert.DoesNotContain(client.Received, f => OlvClient.Type(f) == "error");
    }

    [Fact]
    public async Task In_prompt_mode_a_call_written_as_json_runs_the_tool_and_its_json_is_neither_spoken_nor_shown()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.Enqueue(new FakeReply([]) { FailWithStatus = 400, FailMessage = "registry.ollama.ai/library/gemma:2b does not support tools" });
        llm.Enqueue(new FakeReply(["Let me look. ", "{\"mcp_server\": \"time\", \"tool\": \"get_current_time\", ",
            "\"arguments\": \"{\\\"timezone\\\": \\\"UTC\\\"}\"}", " and this is never read"]));
        llm.ReplyTo($"{FakeMcpTools.Time} in UTC.", new FakeReply(["It is five past two."]));
        await using var server = await StartAsync(llm, tts, StdioServer("time"), "'time'", edits:
            ("    proactive_speak_prompt: 'proactive_speak_prompt'",
             "    proactive_speak_prompt: 'proactive_speak_prompt'\n    mcp_prompt: 'mcp_prompt'"));
        await using var client = await server.ConnectPastGreetingAsync();

        var frames = await TurnAsync(client, "what time is it?");

        Assert.Equal(["get_current_time running: Input: {\"timezone\": \"UTC\"}", $"get_current_time completed: {FakeMcpTools.Time} in UTC."],
            Statuses(frames).Select(s => $"{s["tool_name"]} {s["status"]}: {s["content"]}"));
        Assert.Equal(["Let me look.", "It is five past two."], Spoken(frames));
        Assert.DoesNotContain(frames, f => f.ToJsonString().Contains("mcp_server", StringComparison.Ordinal));
        var third = llm.Requests[2].Messages;
        Assert.Equal(("user", $"{FakeMcpTools.Time} in UTC."), ((string?)third[^1]!["role"], (string?)third[^1]!["content"]));
        Assert.StartsWith("Let me look. {\"mcp_server\"", (string?)third[^2]!["content"]);
        // The listing went into the shipped mcp_prompt.txt in place of its placeholder.
        var system = (string)third[0]!["content"]!;
        Assert.Contains("To use a tool, reply with nothing but one JSON object", system, StringComparison.Ordinal);
        Assert.DoesNotContain(Vtuber.Agents.Tools.PromptMode.Placeholder, system, StringComparison.Ordinal);
    }
}
