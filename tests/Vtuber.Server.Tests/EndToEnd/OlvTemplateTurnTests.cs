using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Domain.Config;
using Vtuber.Server.Hosting;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// OLV's own templates, unchanged, in an OLV-shaped folder: the server starts on them and answers a text turn with
/// the engines they select (native ollama_llm, edge_tts), pointed at loopback fakes only through VTUBER__ overrides.
/// </summary>
public sealed class OlvTemplateTurnTests
{
    [Theory]
    [InlineData(OlvFolder.EnglishTemplate, "[joy] Hello there. Nice to meet you!")]
    [InlineData(OlvFolder.ChineseTemplate, "[joy] 你好呀。很高兴见到你！")]
    public async Task Unchanged_template_starts_and_answers_a_text_turn(string template, string reply)
    {
        using var folder = OlvFolder.Create(template);
        await using var ollama = await FakeOllamaServer.StartAsync();
        await using var edge = await FakeEdgeTtsServer.StartAsync();
        ollama.ReplyTo("hi", new FakeReply([reply[..9], reply[9..]]));
        var environment = new Dictionary<string, string?>
        {
            ["VTUBER__character_config__agent_config__llm_configs__ollama_llm__base_url"] = ollama.BaseUrl.ToString(),
            ["VTUBER__character_config__tts_config__edge_tts__base_url"] = edge.BaseUrl.ToString(),
        };
        var config = ConfigLoader.Load(folder.ConfigPath, environment: environment);
        await using var app = VtuberServer.Build(config, ["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await using var client = await OlvClient.ConnectAsync(address);
        var greeting = await client.ReceiveUntilAsync("control", "start-mic");
        var model = Assert.Single(greeting, f => OlvClient.Type(f) == "set-model-and-conf");
        Assert.Equal(("mao_pro", "mao_pro_001"), ((string?)model["conf_name"], (string?)model["conf_uid"]));
        await client.SendAsync(new { type = "create-new-history" });
        await client.ReceiveUntilAsync("new-history-created");
        await client.SendAsync(new { type = "text-input", text = "hi" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        frames.AddRange(await client.ReceiveUntilAsync("control", "conversation-chain-end"));

        Assert.DoesNotContain(frames, f => OlvClient.Type(f) == "error");
        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(2, audio.Count);
        Assert.All(audio, a => Assert.True(Convert.FromBase64String((string)a["audio"]!).Length > 44, "no samples"));
        Assert.Equal(2, edge.Syntheses.Count);
        var request = Assert.Single(ollama.ChatRequests);
        Assert.Equal("qwen2.5:latest", (string?)request.Body["model"]);
        // The persona plus the bundled live2d_expression_prompt with model_dict.json's emotion keys filled in.
        var system = (string?)request.Body["messages"]![0]!["content"];
        Assert.StartsWith(config.Character.PersonaPrompt, system);
        Assert.Contains("[joy]", system);
        await app.StopAsync();
    }
}
