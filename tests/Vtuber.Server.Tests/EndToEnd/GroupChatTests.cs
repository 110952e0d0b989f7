using System.Text.Json.Nodes;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// Group chat (olv-protocol 2.12, 9.1) through real sockets: two or three OLV clients form a group and talk to
/// their characters in turn. The server bounds a conversation to one round each (system_config.group.max_rounds)
/// unless a test needs OLV's endless rotation.
/// </summary>
public sealed class GroupChatTests : IAsyncLifetime
{
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
    }

    /// <summary>A server on the test's fakes; maxRounds null: OLV's endless rotation.</summary>
    private Task<RunningServer> StartAsync(int? maxRounds) => RunningServer.StartAsync(ServerFolder.Create(_llm.BaseUrl,
        _tts.BaseUrl, extraSystemYaml: maxRounds is { } rounds ? $"  group:\n    max_rounds: {rounds}" : null), _llm, _tts);

    internal sealed record Member(OlvClient Client, string Uid, string HistoryUid) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }

    internal static async Task<Member> JoinAsync(RunningServer server, string? character = null)
    {
        var client = await server.ConnectAsync();
        var greeting = await client.ReceiveUntilAsync("control", "start-mic");
        var uid = (string)greeting.Single(f => OlvClient.Type(f) == "set-model-and-conf")["client_uid"]!;
        if (character is not null)
        {
            await client.SendAsync(new { type = "switch-config", file = character });
            await client.ReceiveUntilAsync("config-switched");
        }
        await client.SendAsync(new { type = "create-new-history" });
        var created = (await client.ReceiveUntilAsync("new-history-created"))[^1];
        return new Member(client, uid, (string)created["history_uid"]!);
    }

    internal static async Task FormGroupAsync(Member owner, params Member[] invitees)
    {
        foreach (var invitee in invitees)
        {
            await owner.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = invitee.Uid });
            await owner.Client.ReceiveUntilAsync("group-update");
        }
        foreach (var member in invitees.Prepend(owner))
        {
            await member.Client.DrainAsync(); // the notices of the invites
        }
    }

    private static async Task<List<JsonObject>> HistoryAsync(Member member)
    {
        await member.Client.SendAsync(new { type = "fetch-and-set-history", history_uid = member.HistoryUid });
        var data = (await member.Client.ReceiveUntilAsync("history-data"))[^1];
        return data["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
    }

    private static string Row(JsonObject record) => $"{record["role"]}:{record["name"]}:{record["content"]}";

    /// <summary>What the frontend does while a reply plays: audio-play-start per sentence, then playback complete.</summary>
    internal static async Task<List<JsonObject>> PlayTurnAsync(OlvClient speaker)
    {
        var frames = await speaker.ReceiveUntilAsync("backend-synth-complete");
        foreach (var audio in frames.Where(f => OlvClient.Type(f) == "audio" && !(bool)f["forwarded"]!))
        {
            await speaker.SendAsync(new { type = "audio-play-start", display_text = audio["display_text"], forwarded = true });
        }
        await speaker.SendAsync(new { type = "frontend-playback-complete" });
        return frames;
    }

    private static string Describe(JsonObject frame) =>
        OlvClient.Describe(frame) + (frame["forwarded"] is JsonValue f && (bool)f ? "(forwarded)" : "");

    [Fact]
    public async Task Request_group_info_from_a_lone_client_is_an_empty_group_update_and_no_error()
    {
        await using var server = await StartAsync(maxRounds: 1);
        await using var alone = await JoinAsync(server);

        await alone.Client.SendAsync(new { type = "request-group-info" });

        Assert.Equal(["""{"type":"group-update","members":[],"is_owner":false}"""],
            (await alone.Client.DrainAsync()).Select(f => f.ToJsonString()));
    }

    [Fact]
    public async Task Invite_leave_and_bad_operations_send_olvs_frames_and_texts()
    {
        await using var server = await StartAsync(maxRounds: 1);
        await using var a = await JoinAsync(server);
        await using var b = await JoinAsync(server);
        await using var c = await JoinAsync(server);

        await a.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = b.Uid });

        // The notices come from the groups actor, so they are awaited by count, not by a heartbeat round trip.
        Assert.Equal([
            $$"""{"type":"group-operation-result","success":true,"message":"Successfully added {{b.Uid}} to the group"}""",
            $$"""{"type":"group-update","members":["{{a.Uid}}","{{b.Uid}}"],"is_owner":true}""",
        ], (await NextAsync(a, 2)).Select(f => f.ToJsonString()));
        Assert.Equal([
            $$"""{"type":"group-update","members":["{{a.Uid}}","{{b.Uid}}"],"is_owner":false}""",
            $$"""{"type":"group-operation-result","success":true,"message":"You have been invited to the group by {{a.Uid}}"}""",
        ], (await NextAsync(b, 2)).Select(f => f.ToJsonString()));

        // Bad input: the failure text to the one who tried, and nothing changed. A frame without the uid is refused
        // by the parser with an error frame.
        await a.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = "no-such-client" });
        await a.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = a.Uid });
        await c.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = b.Uid });
        await b.Client.SendAsync(new { type = "remove-client-from-group", target_uid = a.Uid });
        await c.Client.SendAsync(new { type = "remove-client-from-group", target_uid = c.Uid });
        await c.Client.SendAsync(new { type = "add-client-to-group", invitee_uid = c.Uid });
        Assert.Equal(["false:Invitee no-such-client does not exist", $"false:Invitee {a.Uid} is already in a group"],
            (await NextAsync(a, 2)).Select(Result));
        Assert.Equal([$"false:Invitee {b.Uid} is already in a group", $"false:Target {c.Uid} is not in any group",
            "false:You cannot invite yourself to a group"], (await NextAsync(c, 3)).Select(Result));
        Assert.Equal(["false:Only group owner or self can remove members"], (await NextAsync(b, 1)).Select(Result));
        await a.Client.SendAsync(new { type = "add-client-to-group" });
        var refused = (await NextAsync(a, 1))[0];
        Assert.Equal(("error", "Invalid 'add-client-to-group' message: missing field 'invitee_uid'"),
            (OlvClient.Type(refused), (string?)refused["message"]));
        await b.Client.SendAsync(new { type = "request-group-info" });
        Assert.Equal([$$"""{"type":"group-update","members":["{{a.Uid}}","{{b.Uid}}"],"is_owner":false}"""],
            (await NextAsync(b, 1)).Select(f => f.ToJsonString()));

        // Leaving a group of two dissolves it: both are alone again. These are the very next frames each gets, so
        // none of the refused operations above told anyone anything.
        await b.Client.SendAsync(new { type = "remove-client-from-group", target_uid = b.Uid });
        Assert.Equal([
            $"group-operation-result:Successfully removed {b.Uid} from the group",
            "group-update:[]",
            "group-operation-result:You have been removed from the group",
        ], (await NextAsync(b, 3)).Select(Notice));
        Assert.Equal(["group-update:[]", $"group-operation-result:Member {b.Uid} was removed from the group"],
            (await NextAsync(a, 2)).Select(Notice));
        Assert.Empty(await c.Client.DrainAsync());
    }

    private static async Task<List<JsonObject>> NextAsync(Member member, int count)
    {
        var frames = new List<JsonObject>();
        while (frames.Count < count) frames.Add(await member.Client.ReceiveAsync());
        return frames;
    }

    private static string Result(JsonObject f) => $"{f["success"]}:{f["message"]}";

    private static string Notice(JsonObject f) => OlvClient.Type(f) == "group-update"
        ? $"group-update:[{string.Join(",", f["members"]!.AsArray().Select(m => (string?)m))}]"
        : $"{OlvClient.Type(f)}:{f["message"]}";

    [Fact]
    public async Task A_message_is_answered_by_both_characters_in_turn_each_with_its_own_memory_and_history()
    {
        await using var server = await StartAsync(maxRounds: 1);
        await using var mao = await JoinAsync(server);
        await using var grumble = await JoinAsync(server, "en_unhelpful_ai.yaml");
        await FormGroupAsync(mao, grumble);
        _llm.ReplyTo("Human: hello everyone", new FakeReply(["I am Mao."]));
        _llm.ReplyTo("Human: hello everyone\nMao: I am Mao.", new FakeReply(["Sigh. Grumble."]));
        var before = _llm.Requests.Count;

        await mao.Client.SendAsync(new { type = "text-input", text = "hello everyone" });

        // Mao speaks first: its audio only in its own tab.
        var maoTurn = await PlayTurnAsync(mao.Client);
        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "audio(I am Mao.)", "backend-synth-complete"],
            maoTurn.Select(Describe));
        Assert.NotNull((string?)maoTurn[2]["audio"]);
        Assert.Equal(["force-new-message", "control(conversation-chain-end)", "control(conversation-chain-end)",
                "control(conversation-chain-start)", "full-text(Thinking...)"],
            (await mao.Client.ReceiveUntilAsync("full-text", "Thinking...")).Select(Describe));

        // Grumble's tab saw the human's words and Mao's sentence as a silent copy, then speaks itself.
        var grumbleTurn = await PlayTurnAsync(grumble.Client);
        Assert.Equal([
            "user-input-transcription(hello everyone)", "control(conversation-chain-start)", "full-text(Thinking...)",
            "audio(I am Mao.)(forwarded)", "force-new-message", "control(conversation-chain-end)",
            "control(conversation-chain-start)", "full-text(Thinking...)", "audio(Sigh.)", "audio(Grumble.)", "backend-synth-complete",
        ], grumbleTurn.Select(Describe));
        var copy = grumbleTurn[3];
        Assert.Equal("""{"type":"audio","audio":null,"volumes":[],"slice_length":20,"display_text":{"text":"I am Mao.","name":"Mao","avatar":"mao.png"},"actions":null,"forwarded":true}""",
            copy.ToJsonString());
        Assert.Equal("Grumble", (string?)grumbleTurn[8]["display_text"]!["name"]);
        Assert.Equal(["force-new-message", "control(conversation-chain-end)", "control(conversation-chain-end)"],
            (await grumble.Client.ReceiveUntilAsync("control", "conversation-chain-end")).Concat(
                await grumble.Client.ReceiveUntilAsync("control", "conversation-chain-end")).Select(Describe));
        Assert.Equal(["audio(Sigh.)(forwarded)", "audio(Grumble.)(forwarded)", "force-new-message", "control(conversation-chain-end)"],
            (await mao.Client.ReceiveUntilAsync("control", "conversation-chain-end")).Select(Describe));
        // One round each (max_rounds: 1), then the conversation is over.
        Assert.Empty(await mao.Client.DrainAsync());
        Assert.Empty(await grumble.Client.DrainAsync());

        // Each character was asked as itself, given what it had not heard yet.
        var maoRequest = await _llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10));
        var grumbleRequest = await _llm.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(10));
        Assert.StartsWith("You are Mao", (string?)maoRequest.Messages[0]!["content"]);
        Assert.Equal(["user:Human: hello everyone"], maoRequest.Messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));
        Assert.StartsWith("You are Grumble", (string?)grumbleRequest.Messages[0]!["content"]);
        Assert.Equal(["user:Human: hello everyone\nMao: I am Mao."],
            grumbleRequest.Messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));

        // The memories are separate: Mao's next turn remembers its own reply and not Grumble's, which Mao has not
        // been given yet (OLV shares one memory between members that never switched character).
        await mao.Client.SendAsync(new { type = "remove-client-from-group", target_uid = grumble.Uid });
        await mao.Client.DrainAsync();
        _llm.ReplyTo("alone now", new FakeReply(["Yes."]));
        var aloneBefore = _llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(mao.Client, "alone now");
        var alone = await _llm.WaitForRequestAsync(aloneBefore, TimeSpan.FromSeconds(10));
        Assert.Equal(["user:Human: hello everyone", "assistant:I am Mao.", "user:alone now"],
            alone.Messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));

        // Both histories hold the human's input and both replies, each in its own character's folder.
        string[] rows = ["human:Human:hello everyone", "ai:Mao:I am Mao.", "ai:Grumble:Sigh. Grumble."];
        Assert.Equal([.. rows, "human:Human:alone now", "ai:Mao:Yes."], (await HistoryAsync(mao)).Select(Row));
        Assert.Equal(rows, (await HistoryAsync(grumble)).Select(Row));
    }

    [Fact]
    public async Task Raise_hand_in_the_listening_tab_stops_the_group_and_every_history_records_what_was_heard()
    {
        await using var server = await StartAsync(maxRounds: null);
        await using var mao = await JoinAsync(server);
        await using var grumble = await JoinAsync(server, "en_unhelpful_ai.yaml");
        await FormGroupAsync(mao, grumble);
        _llm.ReplyTo("Human: talk forever", new FakeReply(["One. Two. Three."]));

        await mao.Client.SendAsync(new { type = "text-input", text = "talk forever" });
        await PlayTurnAsync(mao.Client);
        await grumble.Client.ReceiveUntilAsync("control", "conversation-chain-end"); // Mao's turn ended; Grumble's begins
        await grumble.Client.ReceiveUntilAsync("audio");
        await grumble.Client.SendAsync(new { type = "interrupt-signal", text = "Sigh" });

        const string interrupted = """{"type":"interrupt-signal","text":"conversation-interrupted"}""";
        Assert.Equal(interrupted, (await grumble.Client.ReceiveUntilAsync("interrupt-signal"))[^1].ToJsonString());
        Assert.Equal(interrupted, (await mao.Client.ReceiveUntilAsync("interrupt-signal"))[^1].ToJsonString());
        Assert.DoesNotContain(await grumble.Client.DrainAsync(), f => OlvClient.Type(f) is "audio" or "control");

        // history-data leaves out the system marker (as OLV); the heard text is named after the speaker.
        string[] rows = ["human:Human:talk forever", "ai:Mao:One. Two. Three.", "ai:Grumble:Sigh"];
        Assert.Equal(rows, (await HistoryAsync(mao)).Select(Row));
        Assert.Equal(rows, (await HistoryAsync(grumble)).Select(Row));
        Assert.Empty(await mao.Client.DrainAsync());
    }

    [Fact]
    public async Task A_member_who_disconnects_mid_conversation_interrupts_it_and_the_others_go_on_as_a_group()
    {
        await using var server = await StartAsync(maxRounds: null);
        await using var a = await JoinAsync(server);
        var b = await JoinAsync(server);
        await using var c = await JoinAsync(server);
        await FormGroupAsync(a, b, c);
        _llm.ReplyTo("Human: first", new FakeReply(["Alpha speaks."]));

        await b.Client.SendAsync(new { type = "text-input", text = "first" });
        await a.Client.ReceiveUntilAsync("audio"); // a, the first member, is speaking
        await b.DisposeAsync();

        foreach (var member in new[] { a, c })
        {
            // As OLV: the interrupt first, then the news of the departure.
            var frames = await member.Client.ReceiveUntilAsync("group-operation-result");
            Assert.Equal(["interrupt-signal", $"group-update:[{a.Uid},{c.Uid}]", $"group-operation-result:Member {b.Uid} disconnected"],
                frames.Where(f => OlvClient.Type(f) is "interrupt-signal" or "group-update" or "group-operation-result").Select(f =>
                    OlvClient.Type(f) == "interrupt-signal" ? "interrupt-signal" : Notice(f)));
        }

        // The two left are still a group: c's message starts a conversation in which a speaks first.
        _llm.ReplyTo("Human: second", new FakeReply(["Still here."]));
        await c.Client.SendAsync(new { type = "text-input", text = "second" });
        var turn = await a.Client.ReceiveUntilAsync("audio");
        Assert.Equal("Still here.", (string?)turn[^1]["display_text"]!["text"]);
        await c.Client.SendAsync(new { type = "interrupt-signal", text = "" });
        await a.Client.ReceiveUntilAsync("interrupt-signal");
    }

    [Fact]
    public async Task A_speaker_that_crashes_is_skipped_and_the_next_member_answers()
    {
        await using var server = await StartAsync(maxRounds: 1);
        await using var mao = await JoinAsync(server);
        await using var grumble = await JoinAsync(server, "en_unhelpful_ai.yaml");
        await FormGroupAsync(mao, grumble);
        _llm.ReplyTo("Human: crash test", new FakeReply(["Never heard."]) { FirstTokenDelay = TimeSpan.FromSeconds(30) });
        var before = _llm.Requests.Count;

        await mao.Client.SendAsync(new { type = "text-input", text = "crash test" });
        await _llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10)); // Mao's turn is waiting for its LLM
        _llm.ReplyTo("Human: crash test", new FakeReply(["I go on."])); // what Grumble, given the same, answers
        var system = server.App.Services.GetRequiredService<ActorSystem>();
        system.ActorSelection($"/user/sessions/session-{mao.Uid}").Tell(Kill.Instance);

        Assert.Contains("was restarted", (string?)(await mao.Client.ReceiveUntilAsync("error"))[^1]["message"]);
        var grumbleTurn = await PlayTurnAsync(grumble.Client);
        Assert.Contains(grumbleTurn, f => (string?)f["display_text"]?["text"] == "I go on.");
        await grumble.Client.ReceiveUntilAsync("control", "conversation-chain-end");
        // The restarted session is still a member of the group.
        await mao.Client.SendAsync(new { type = "request-group-info" });
        Assert.Equal([mao.Uid, grumble.Uid],
            (await mao.Client.ReceiveUntilAsync("group-update"))[^1]["members"]!.AsArray().Select(m => (string?)m));
    }
}
