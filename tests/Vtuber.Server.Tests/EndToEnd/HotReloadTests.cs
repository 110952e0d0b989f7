using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>conf.yaml edited while the server runs: each test has its own server and folder.</summary>
public sealed class HotReloadTests
{
    private const string MaoPersona = "You are Mao, a cheerful test character.";
    private const string HiyoriPersona = "You are Hiyori, a calm test character.";

    private static async Task<JsonObject> EffectiveConfigAsync(RunningServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        return JsonNode.Parse(await http.GetStringAsync("/api/config"))!.AsObject();
    }

    private static Task WaitForModelAsync(RunningServer server, string model) =>
        Eventually.TrueAsync(async () =>
            (string?)(await EffectiveConfigAsync(server))["character"]!["live2d_model_name"] == model,
            because: $"the server should reload conf.yaml with live2d_model_name {model}");

    private static async Task<string> SystemPromptOfNextTurnAsync(RunningServer server, OlvClient client, string text)
    {
        server.Llm.ReplyTo(text, new FakeReply(["Okay."]));
        var before = server.Llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(client, text);
        var request = await server.Llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10));
        return (string)request.Messages[0]!["content"]!;
    }

    [Fact]
    public async Task A_live_session_gets_the_new_model_and_persona()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();

        server.Folder.EditConfig(
            ("live2d_model_name: 'mao_pro'", $"live2d_model_name: '{ServerFolder.SecondModel}'"),
            (MaoPersona, HiyoriPersona));

        var frames = await client.ReceiveUntilAsync("set-model-and-conf");
        Assert.Single(frames);
        var conf = frames[0];
        Assert.Null(conf["client_uid"]);
        Assert.Equal(ServerFolder.SecondModel, (string?)conf["model_info"]!["name"]);
        Assert.Equal("mao_pro_001", (string?)conf["conf_uid"]);

        await WaitForModelAsync(server, ServerFolder.SecondModel);
        Assert.StartsWith(HiyoriPersona, await SystemPromptOfNextTurnAsync(server, client, "who are you now"));

        // A client that connects after the reload starts with the new config too.
        await using var late = await server.ConnectAsync();
        var greeting = await late.ReceiveUntilAsync("set-model-and-conf");
        Assert.Equal(ServerFolder.SecondModel, (string?)greeting[^1]["model_info"]!["name"]);
    }

    [Fact]
    public async Task An_invalid_edit_is_logged_and_ignored()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        var system = server.App.Services.GetRequiredService<ActorSystem>();
        var warnings = Inbox.Create(system);
        system.EventStream.Subscribe(warnings.Receiver, typeof(Warning));

        server.Folder.EditConfig((MaoPersona, HiyoriPersona), ("port: 0", "port: 'twelve'"));

        var warning = await NextWarningAsync(warnings, "ignoring invalid");
        Assert.Contains(server.Folder.ConfigPath, warning);
        Assert.Contains("system_config.port = twelve: expected an integer 0..65535", warning);

        Assert.Empty(await client.DrainAsync());
        Assert.StartsWith(MaoPersona, await SystemPromptOfNextTurnAsync(server, client, "are you still mao"));
        Assert.Equal("mao_pro", (string?)(await EffectiveConfigAsync(server))["character"]!["live2d_model_name"]);
    }

    [Fact]
    public async Task A_change_during_a_turn_is_applied_after_the_chain_ends()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        server.Llm.ReplyTo("long story", new FakeReply(["Once upon a time."]));
        await client.SendAsync(new { type = "text-input", text = "long story" });
        await client.ReceiveUntilAsync("backend-synth-complete"); // the turn now waits for playback

        server.Folder.EditConfig(
            ("live2d_model_name: 'mao_pro'", $"live2d_model_name: '{ServerFolder.SecondModel}'"));
        await WaitForModelAsync(server, ServerFolder.SecondModel);
        // The config actor published before it answered the API, so the session has the change queued.
        Assert.Empty(await client.DrainAsync());

        await client.SendAsync(new { type = "frontend-playback-complete" });
        var frames = await client.ReceiveUntilAsync("set-model-and-conf");
        Assert.Equal(["force-new-message", "control(conversation-chain-end)", "set-model-and-conf"],
            frames.Select(OlvClient.Describe));
        Assert.Equal(ServerFolder.SecondModel, (string?)frames[2]["model_info"]!["name"]);
    }

    [Fact]
    public async Task A_session_on_an_alternate_keeps_its_character()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "switch-config", file = "en_unhelpful_ai.yaml" });
        await client.ReceiveUntilAsync("config-switched");

        server.Folder.EditConfig((MaoPersona, HiyoriPersona));
        await Eventually.TrueAsync(async () =>
            (string?)(await EffectiveConfigAsync(server))["character"]!["persona_prompt"] == HiyoriPersona);

        Assert.Empty(await client.DrainAsync());
        Assert.StartsWith("You are Grumble", await SystemPromptOfNextTurnAsync(server, client, "still grumpy"));
    }

    private static async Task<string> NextWarningAsync(Inbox inbox, string containing)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No warning containing '{containing}'");
            }
            if (await inbox.ReceiveAsync(remaining) is Warning w && w.Message.ToString()!.Contains(containing, StringComparison.Ordinal))
            {
                return w.ToString();
            }
        }
    }
}
