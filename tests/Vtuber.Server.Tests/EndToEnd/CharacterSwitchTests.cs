using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class CharacterSwitchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _server = fixture.Server;

    private static async Task<string> CreateHistoryAsync(OlvClient client)
    {
        await client.SendAsync(new { type = "create-new-history" });
        var created = await client.ReceiveUntilAsync("new-history-created");
        return (string)created[^1]["history_uid"]!;
    }

    [Fact]
    public async Task Switch_to_the_shipped_alternate_changes_persona_voice_and_history_folder()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        var maoHistory = await CreateHistoryAsync(client);
        _server.Llm.ReplyTo("before switch", new FakeReply(["Mao here."]));
        await TextTurnTests.RunTurnAsync(client, "before switch");

        await client.SendAsync(new { type = "switch-config", file = "en_unhelpful_ai.yaml" });
        var frames = await client.DrainAsync();

        Assert.Equal(["set-model-and-conf", "config-switched"], frames.Select(OlvClient.Type));
        var modelDict = JsonNode.Parse(File.ReadAllText(Path.Combine(_server.Folder.Root, "model_dict.json")))!.AsArray();
        Assert.Equal(new JsonObject
        {
            ["type"] = "set-model-and-conf",
            ["model_info"] = modelDict.Single(m => (string?)m!["name"] == "mao_pro")!.DeepClone(),
            ["conf_name"] = "unhelpful_ai",
            ["conf_uid"] = "unhelpful_ai_001",
        }.ToJsonString(), frames[0].ToJsonString()); // no client_uid after a switch (olv-protocol 5.4)
        Assert.Equal("""{"type":"config-switched","message":"Switched to config: en_unhelpful_ai.yaml"}""",
            frames[1].ToJsonString());

        // What the frontend does next: a new history, then a turn with the new character.
        var grumbleHistory = await CreateHistoryAsync(client);
        _server.Llm.ReplyTo("who are you", new FakeReply(["I am tired."]));
        var before = _server.Llm.Requests.Count;
        var ttsBefore = _server.Tts.Requests.Count;
        await client.SendAsync(new { type = "text-input", text = "who are you" });
        var turn = await client.ReceiveUntilAsync("backend-synth-complete");
        var audio = Assert.Single(turn, f => OlvClient.Type(f) == "audio");
        Assert.Equal("Grumble", (string?)audio["display_text"]!["name"]);
        Assert.NotNull((string?)audio["audio"]); // spoken by the alternate's espeak_ng, not the fake openai_tts
        Assert.Equal(ttsBefore, _server.Tts.Requests.Count);
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var request = await _server.Llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10));
        Assert.Equal("system", (string?)request.Messages[0]!["role"]);
        Assert.StartsWith("You are Grumble", (string?)request.Messages[0]!["content"]);
        // A new persona means a new agent (OLV re-creates it): Mao's conversation is not in its memory.
        Assert.Equal(["user:who are you"], request.Messages.Skip(1).Select(m => $"{m!["role"]}:{TextOf(m)}"));

        await client.SendAsync(new { type = "fetch-history-list" });
        var list = (await client.ReceiveUntilAsync("history-list"))[^1];
        var listed = Assert.Single(list["histories"]!.AsArray());
        Assert.Equal(grumbleHistory, (string?)listed!["uid"]);
        Assert.NotEqual(maoHistory, grumbleHistory);
        Assert.Equal("Grumble", (string?)listed["latest_message"]!["name"]);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("characters/en_unhelpful_ai.yaml")]
    [InlineData("not_there.yaml")]
    [InlineData("")]
    public async Task A_file_not_in_the_listing_is_refused_and_the_session_is_unchanged(string file)
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "switch-config", file });
        var frames = await client.DrainAsync();

        var error = Assert.Single(frames);
        Assert.Equal("error", OlvClient.Type(error));
        Assert.Equal($"Error switching configuration: '{file}' is not one of the character files listed by config-files",
            (string?)error["message"]);
        await client.SendAsync(new { type = "request-init-config" });
        var conf = (await client.ReceiveUntilAsync("set-model-and-conf"))[^1];
        Assert.Equal("mao_pro_001", (string?)conf["conf_uid"]);
    }

    [Fact]
    public async Task An_alternate_whose_engine_cannot_start_gives_one_error_and_the_session_keeps_working()
    {
        File.WriteAllText(Path.Combine(_server.Folder.Root, "characters", "no_flite.yaml"), """
            character_config:
              conf_name: 'no_flite'
              conf_uid: 'no_flite_001'
              persona_prompt: 'You are voiceless.'
              tts_config:
                tts_model: 'flite'
                flite:
                  executable: '/nonexistent/flite'
            """);
        try
        {
            await using var client = await _server.ConnectPastGreetingAsync();

            await client.SendAsync(new { type = "switch-config", file = "no_flite.yaml" });
            var error = (await client.ReceiveUntilAsync("error"))[^1];

            Assert.StartsWith("Error switching configuration: ", (string?)error["message"]);
            Assert.Contains("/nonexistent/flite", (string?)error["message"]);
            _server.Llm.ReplyTo("still there?", new FakeReply(["Yes."]));
            await TextTurnTests.RunTurnAsync(client, "still there?");
        }
        finally
        {
            File.Delete(Path.Combine(_server.Folder.Root, "characters", "no_flite.yaml"));
        }
    }

    [Fact]
    public async Task A_broken_alternate_gives_one_error_and_the_session_keeps_working()
    {
        File.WriteAllText(Path.Combine(_server.Folder.Root, "characters", "broken.yaml"), """
            character_config:
              conf_name: 'broken'
              conf_uid: 'broken_001'
              persona_prompt: 'You are broken.'
              tts_config:
                tts_model: 'espeak_ng'
                espeak_ng:
                  pitch: 500
            """);
        try
        {
            await using var client = await _server.ConnectPastGreetingAsync();

            await client.SendAsync(new { type = "switch-config", file = "broken.yaml" });
            var frames = await client.DrainAsync();

            var error = Assert.Single(frames);
            Assert.Equal("error", OlvClient.Type(error));
            Assert.Equal("Error switching configuration: " + Path.Combine(_server.Folder.Root, "characters", "broken.yaml") +
                         ": character_config.tts_config.espeak_ng.pitch = '500': expected an integer 0..99",
                (string?)error["message"]);

            _server.Llm.ReplyTo("still mao?", new FakeReply(["Yes."]));
            var before = _server.Llm.Requests.Count;
            await TextTurnTests.RunTurnAsync(client, "still mao?");
            var request = await _server.Llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10));
            Assert.StartsWith("You are Mao", (string?)request.Messages[0]!["content"]);
        }
        finally
        {
            File.Delete(Path.Combine(_server.Folder.Root, "characters", "broken.yaml"));
        }
    }

    [Fact]
    public async Task Switching_back_to_conf_yaml_rereads_the_main_character()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "switch-config", file = "en_unhelpful_ai.yaml" });
        await client.SendAsync(new { type = "switch-config", file = "conf.yaml" });
        var frames = await client.DrainAsync();

        Assert.Equal(["set-model-and-conf", "config-switched", "set-model-and-conf", "config-switched"],
            frames.Select(OlvClient.Type));
        Assert.Equal("mao_pro_001", (string?)frames[2]["conf_uid"]);
        Assert.Equal("Switched to config: conf.yaml", (string?)frames[3]["message"]);
    }

    private static string? TextOf(JsonNode? message) => TextTurnTests.TextOf(message);
}
