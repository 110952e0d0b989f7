using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Speech.Translation;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>translator_config (olv-protocol 8.2): the TTS speaks the translation; subtitles and history keep the original.</summary>
public sealed class TranslationTurnTests
{
    private static async Task<(List<JsonObject> Frames, JsonArray History)> TurnAsync(RunningServer server, string text)
    {
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        var historyUid = (string)(await client.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
        await client.SendAsync(new { type = "text-input", text });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        frames.AddRange(await client.ReceiveUntilAsync("control", "conversation-chain-end"));
        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var history = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
        return (frames, history);
    }

    private static async Task<RunningServer> StartAsync(FakeOpenAiServer llm, FakeSpeechServer tts, string translatorYaml) =>
        await RunningServer.StartAsync(ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraCharacterYaml: translatorYaml),
            llm, tts);

    [Theory]
    [InlineData("deeplx")]
    [InlineData("tencent")]
    public async Task The_tts_speaks_the_translation_while_subtitles_and_history_keep_the_original(string provider)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var translation = await FakeTranslationServer.StartAsync(TencentTranslator.Authorization);
        llm.ReplyTo("hello", new FakeReply(["[joy] Good morning. ", "See you later."]));
        await using var server = await StartAsync(llm, tts, $"""
                translator_config:
                  translate_audio: True
                  translate_provider: '{provider}'
                  deeplx:
                    deeplx_target_lang: 'JA'
                    deeplx_api_endpoint: '{translation.DeepLxEndpoint}'
                  tencent:
                    secret_id: '{FakeTranslationServer.TencentSecretId}'
                    secret_key: '{FakeTranslationServer.TencentSecretKey}'
                    source_lang: 'en'
                    target_lang: 'ja'
                    base_url: '{translation.BaseUrl}'
            """);

        var (frames, history) = await TurnAsync(server, "hello");

        Assert.DoesNotContain(frames, f => OlvClient.Type(f) == "error");
        Assert.Equal(["[joy] Good morning.", "See you later."],
            frames.Where(f => OlvClient.Type(f) == "audio").Select(f => (string?)f["display_text"]!["text"]));
        var target = provider == "deeplx" ? "JA" : "ja";
        Assert.Equal([$"({target}) Good morning.", $"({target}) See you later."], tts.Requests.Select(r => r.Input).Order());
        Assert.Equal(["Good morning.", "See you later."], translation.Texts.Order());
        Assert.Equal("[joy] Good morning. See you later.", (string?)history[^1]!["content"]);
    }

    [Fact]
    public async Task A_failing_translator_speaks_the_original_and_sends_one_error()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var translation = await FakeTranslationServer.StartAsync(TencentTranslator.Authorization);
        translation.FailWithStatus = 503;
        llm.ReplyTo("hello", new FakeReply(["One. ", "Two. ", "Three."]));
        await using var server = await StartAsync(llm, tts, $"""
                translator_config:
                  translate_audio: True
                  deeplx:
                    deeplx_api_endpoint: '{translation.DeepLxEndpoint}'
            """);

        var (frames, _) = await TurnAsync(server, "hello");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Contains("Translation by deeplx failed, the original text is spoken", (string?)error["message"]);
        Assert.Contains("503", (string?)error["message"]);
        Assert.Equal(["One.", "Three.", "Two."], tts.Requests.Select(r => r.Input).Order());
        Assert.All(frames.Where(f => OlvClient.Type(f) == "audio"), f => Assert.NotNull((string?)f["audio"]));
        Assert.Equal("control(conversation-chain-end)", OlvClient.Describe(frames[^1]));
    }
}
