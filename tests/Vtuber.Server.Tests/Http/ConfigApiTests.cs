using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Vtuber.Server.Tests.EndToEnd;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Http;

public sealed class ConfigApiTests
{
    private const string LlmSecret = "sk-LLM-SECRET-31415";
    private const string TtsSecret = "TTS-SECRET-27182";

    private static HttpClient Http(RunningServer server) => new() { BaseAddress = server.BaseUri };

    [Fact]
    public async Task Secrets_never_leave_the_server_in_frames_or_the_config_api()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, llmApiKey: LlmSecret, ttsApiKey: TtsSecret);
        await using var server = await RunningServer.StartAsync(folder, llm, tts);
        await using var client = await server.ConnectAsync();
        await client.ReceiveUntilAsync("control", "start-mic");
        await client.SendAsync(new { type = "create-new-history" });
        await client.ReceiveUntilAsync("new-history-created");
        server.Llm.ReplyTo("tell me a secret", new FakeReply(["No."]));
        await TextTurnTests.RunTurnAsync(client, "tell me a secret");
        foreach (var type in new[] { "fetch-configs", "fetch-history-list", "request-init-config", "fetch-backgrounds" })
        {
            await client.SendAsync(new { type });
        }
        await client.SendAsync(new { type = "switch-config", file = "en_unhelpful_ai.yaml" });
        await client.SendAsync(new { type = "switch-config", file = "../conf.yaml" });
        await client.DrainAsync();

        // The secrets are real: the upstreams received them.
        Assert.Equal("Bearer " + LlmSecret, server.Llm.Requests[^1].Authorization);
        Assert.Equal("Bearer " + TtsSecret, server.Tts.Requests[^1].Authorization);

        using var http = Http(server);
        var seen = client.Received.Select(f => f.ToJsonString()).ToList();
        seen.Add(await http.GetStringAsync("/api/config"));
        seen.Add(await http.GetStringAsync("/api/characters"));
        var candidate = (await File.ReadAllTextAsync(server.Folder.ConfigPath)).Replace("port: 0", "port: 'x'");
        seen.Add(await (await http.PostAsync("/api/config/validate", new StringContent(candidate))).Content.ReadAsStringAsync());
        var valid = await File.ReadAllTextAsync(server.Folder.ConfigPath);
        seen.Add(await (await http.PostAsync("/api/config/validate", new StringContent(valid))).Content.ReadAsStringAsync());

        Assert.True(seen.Count > 20, $"a full session was scanned ({seen.Count} texts)");
        foreach (var text in seen)
        {
            Assert.DoesNotContain(LlmSecret, text);
            Assert.DoesNotContain(TtsSecret, text);
        }
    }

    [Fact]
    public async Task Validation_builds_no_engine_runs_no_program_and_calls_no_llm()
    {
        await using var server = await RunningServer.StartAsync();
        await using var ollama = await FakeOllamaServer.StartAsync();
        using var http = Http(server);
        var marker = Path.Combine(server.Folder.Root, "flite-ran");
        var flite = Path.Combine(server.Folder.Root, "fake-flite");
        File.WriteAllText(flite, $"#!/bin/sh\ntouch '{marker}'\necho slt\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(flite, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var shape = ServerFolder.Create(server.Llm.BaseUrl, server.Tts.BaseUrl, ttsModel: "flite",
            llmProvider: ("ollama_llm", $"base_url: '{ollama.BaseUrl}'\nmodel: 'qwen2.5:latest'\nkeep_alive: -1"));
        const string anchor = "    tts_model: 'flite'\n";
        var candidate = File.ReadAllText(shape.ConfigPath)
            .Replace(anchor, anchor + $"    flite:\n      voice: 'slt'\n      executable: '{flite}'\n", StringComparison.Ordinal);
        Assert.Contains(flite, candidate);

        var valid = await http.PostAsync("/api/config/validate", new StringContent(candidate));
        var missingGrammar = await http.PostAsync("/api/config/validate", new StringContent(candidate.Replace(
            "  tts_config:\n", "  asr_config:\n    pocketsphinx:\n      jsgf_grammar: 'no/such.jsgf'\n  tts_config:\n",
            StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Empty(ollama.Requests); // building would have preloaded the model (keep_alive -1)
        Assert.False(File.Exists(marker), "validation ran the flite program");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingGrammar.StatusCode);
        Assert.Equal("character_config.asr_config.pocketsphinx.jsgf_grammar",
            (string?)JsonNode.Parse(await missingGrammar.Content.ReadAsStringAsync())!["key_path"]);
    }

    [Fact]
    public async Task Validation_is_rate_limited_per_client_with_a_429_and_the_rest_of_the_api_answers()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = Http(server);
        var text = await File.ReadAllTextAsync(server.Folder.ConfigPath);

        for (var i = 0; i < Vtuber.Server.Api.ConfigApi.ValidationsPerMinute; i++)
        {
            var allowed = await http.PostAsync("/api/config/validate", new StringContent(text));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var refused = await http.PostAsync("/api/config/validate", new StringContent(text));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("validations per minute", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/config")).StatusCode);
    }

    [Fact]
    public async Task Config_characters_and_validation_answer_with_json()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = Http(server);

        var config = JsonNode.Parse(await http.GetStringAsync("/api/config"))!;
        Assert.Equal("mao_pro_001", (string?)config["character"]!["conf_uid"]);
        Assert.Equal("***", (string?)config["character"]!["agent"]!["llm_configs"]!["openai_compatible_llm"]!["llm_api_key"]);
        Assert.Equal("live2d_expression_prompt", (string?)config["system"]!["tool_prompts"]!["live2d_expression_prompt"]);

        Assert.Equal("""[{"filename":"conf.yaml","name":"mao_pro"},{"filename":"en_unhelpful_ai.yaml","name":"unhelpful_ai"}]""",
            await http.GetStringAsync("/api/characters"));

        var text = await File.ReadAllTextAsync(server.Folder.ConfigPath);
        var valid = await http.PostAsync("/api/config/validate", new StringContent(text.Replace("Mao", "Momo")));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal("""{"valid":true}""", await valid.Content.ReadAsStringAsync());

        var invalid = await http.PostAsync("/api/config/validate",
            new StringContent(text.Replace("live2d_model_name: 'mao_pro'", "live2d_model_name: 'nobody'")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var error = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!;
        Assert.False((bool?)error["valid"]);
        Assert.Equal(server.Folder.ConfigPath, (string?)error["file"]);
        Assert.Equal("character_config.live2d_model_name", (string?)error["key_path"]);
        Assert.Equal("nobody", (string?)error["value"]);
        Assert.StartsWith("one of the models in model_dict.json: mao_pro", (string?)error["expected"]);

        var syntax = await http.PostAsync("/api/config/validate", new StringContent("system_config: [unclosed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, syntax.StatusCode);
        Assert.StartsWith("valid YAML", (string?)JsonNode.Parse(await syntax.Content.ReadAsStringAsync())!["expected"]);

        // Validation never applies: the live config is unchanged.
        Assert.Equal("mao_pro", (string?)JsonNode.Parse(await http.GetStringAsync("/api/config"))!["character"]!["live2d_model_name"]);
        Assert.Equal(text, await File.ReadAllTextAsync(server.Folder.ConfigPath));
    }

    [Fact]
    public async Task Bad_requests_get_a_clear_json_error()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = Http(server);

        var empty = await http.PostAsync("/api/config/validate", new StringContent(""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (string?)JsonNode.Parse(await empty.Content.ReadAsStringAsync())!["error"]);

        var huge = await http.PostAsync("/api/config/validate", new StringContent(new string('#', 2 * 1024 * 1024), Encoding.UTF8));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("larger than", (string?)JsonNode.Parse(await huge.Content.ReadAsStringAsync())!["error"]);

        var wrongMethod = await http.GetAsync("/api/config/validate");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }
}
