using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Speech.Asr;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Browser;

/// <summary>
/// The server's own web client (webclient/, at /app/) in a real Chromium against the real server with the loopback
/// LLM and TTS fakes: what the page shows and draws, and what the server got from it.
/// </summary>
public sealed class WebClientBrowserTests
{
    // A turn ends only when the page answers frontend-playback-complete; 60 s is past every wait in the script, so a
    // page that never answered would fail the scenario instead of being rescued by the server's timeout.
    private static async Task<RunningServer> StartAsync(FakeReply reply, string? extraCharacterYaml = null)
    {
        var llm = await FakeOpenAiServer.StartAsync();
        var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = reply;
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, playbackTimeoutSeconds: 60,
            extraCharacterYaml: extraCharacterYaml);
        return await RunningServer.StartAsync(folder, llm, tts);
    }

    private static Uri ClientUrl(RunningServer server) => new(server.BaseUri, "/app/");

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToArray();

    private static (string Role, string Text)[] Messages(JsonNode state) =>
        state["messages"]!.AsArray().Select(m => ((string)m!["role"]!, (string)m["text"]!)).ToArray();

    [BrowserFact]
    public async Task A_typed_message_is_answered_with_audio_that_plays_in_order_with_subtitles_a_moving_mouth_and_the_face()
    {
        await using var server = await StartAsync(new FakeReply(["[joy] Hi there!", " Nice to meet you."]));

        var result = await BrowserRun.RunAsync("reply", ClientUrl(server),
            screenshot: Environment.GetEnvironmentVariable("VTUBER_WEBCLIENT_SCREENSHOT"));

        Assert.Equal("Ready", (string)result["ready"]!["status"]!);
        Assert.Equal("hello", server.Llm.Requests[0].Messages[^1]!["content"]!.ToString());
        // Both sentences started, in order (each start is one audio-play-start to the server), each as the subtitle.
        var final = result["final"]!;
        Assert.Equal(["[joy] Hi there!", "Nice to meet you."], Strings(final["played"]));
        Assert.Equal(["Hi there!", "Nice to meet you."], Strings(result["subtitles"]));
        Assert.Equal("idle", (string)final["aiState"]!); // the server's chain-end: it got frontend-playback-complete
        Assert.Contains("joy", Strings(result["expressions"]));
        Assert.Contains(("ai", "Hi there! Nice to meet you."), Messages(final));
        // The mouth follows the volumes envelope: it opens wide and takes many different openings while the audio plays.
        var mouth = result["mouthWhilePlaying"]!.AsArray().Select(n => (double)n!).ToArray();
        Assert.True(mouth.Max() > 0.3, $"mouth never opened: max {mouth.Max()}");
        Assert.True(mouth.Select(m => Math.Round(m, 2)).Distinct().Count() > 5, "the mouth did not move with the audio");
        Assert.Empty(Strings(final["errors"]));
    }

    [BrowserFact]
    public async Task Stop_silences_the_reply_and_the_server_keeps_only_what_was_heard_and_a_failing_llm_is_shown()
    {
        await using var server = await StartAsync(new FakeReply([]) { FailWithStatus = 401, FailMessage = "Incorrect API key provided" });
        server.Llm.Enqueue(new FakeReply(
            ["First sentence here.", " Second one follows.", " Third one now.", " Fourth is long.", " Fifth ends it."]));

        var result = await BrowserRun.RunAsync("stop", ClientUrl(server));

        var afterStop = result["afterStop"]!;
        Assert.Equal("interrupted", (string)afterStop["aiState"]!);
        Assert.False((bool)afterStop["playing"]!);
        var heard = string.Concat(Strings(afterStop["played"]));
        Assert.Equal([heard], Strings(afterStop["interruptsSent"]));
        Assert.DoesNotContain("Fifth ends it.", heard);
        // The server took the interrupt: the chat history's answer is the heard text, not the whole reply (the failed
        // turn after it adds only its human record).
        await using var other = await server.ConnectPastGreetingAsync();
        var historyUid = (string)afterStop["historyUid"]!;
        await Eventually.TrueAsync(async () =>
        {
            await other.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
            var messages = (await other.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
            var answers = messages.Where(m => (string)m!["role"]! == "ai").Select(m => (string)m!["content"]!).ToArray();
            return answers.SequenceEqual([heard]);
        }, because: "the history's one answer is the heard text");
        // The next turn's LLM failure is on the page, with the server's reason, and the page is ready again.
        var errorBar = result["errorBar"]!;
        Assert.True((bool)errorBar["visible"]!);
        Assert.StartsWith("Error processing agent response: LLM provider openai_compatible_llm failed", (string)errorBar["text"]!);
        Assert.Equal("idle", (string)result["afterFailure"]!["aiState"]!);
    }

    [BrowserFact]
    public async Task A_chat_is_reopened_from_the_history_list_after_a_reload()
    {
        await using var server = await StartAsync(new FakeReply(["Hello", " from", " the", " fake."]));

        var result = await BrowserRun.RunAsync("history", ClientUrl(server));

        Assert.NotEqual((string)result["first"]!["historyUid"]!, (string)result["reloaded"]!["historyUid"]!);
        Assert.Empty(Messages(result["reloaded"]!));
        var reopened = result["reopened"]!;
        Assert.Equal((string)result["first"]!["historyUid"]!, (string)reopened["historyUid"]!);
        Assert.Equal([("human", "remember this line"), ("ai", "Hello from the fake.")], Messages(reopened));
    }

    [BrowserFact]
    public async Task Speech_into_the_fake_microphone_is_detected_in_the_page_sent_as_mic_audio_and_answered()
    {
        await using var server = await StartAsync(new FakeReply(["It is noon."]),
            $"  asr_config:\n    asr_model: 'pocketsphinx'\n    pocketsphinx:\n" +
            $"      jsgf_grammar: '{SpokenUtterances.WriteGrammar()}'\n      decoders: 1");
        // Chromium plays this file as the microphone, looping: a second of silence, the words, then 15 s of silence so
        // the words come again (a barge-in) only after the reply has played.
        var wav = Path.Combine(server.Folder.Root, "fake-mic.wav");
        var samples = new float[16000].Concat(SpokenUtterances.WhatTimeIsIt.Samples16k()).Concat(new float[16000 * 15]).ToArray();
        await File.WriteAllBytesAsync(wav, AsrAudio.ToWav(samples));

        var result = await BrowserRun.RunAsync("mic", ClientUrl(server), micWav: wav);

        Assert.True((bool)result["micStarted"]!["micOn"]!, $"mic did not start: {result["micStarted"]!["errors"]}");
        var heard = result["heard"]!;
        Assert.Equal(("human", SpokenUtterances.WhatTimeIsIt.Text), Messages(heard).First(m => m.Role == "human"));
        Assert.Equal(SpokenUtterances.WhatTimeIsIt.Text, server.Llm.Requests[0].Messages[^1]!["content"]!.ToString());
        Assert.Contains("It is noon.", Strings(heard["played"]));
    }
}
