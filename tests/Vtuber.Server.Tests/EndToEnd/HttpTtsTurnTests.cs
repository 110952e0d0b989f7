using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>A text turn over a real socket, spoken by OLV engines behind plain HTTP APIs (against their fakes).</summary>
public sealed class HttpTtsTurnTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _shared = fixture.Server;

    private ServerFolder Folder(string ttsModel, string section)
    {
        var folder = ServerFolder.Create(_shared.Llm.BaseUrl, _shared.Tts.BaseUrl, ttsModel: ttsModel);
        var yaml = File.ReadAllText(folder.ConfigPath);
        var anchor = $"    tts_model: '{ttsModel}'\n";
        Assert.Contains(anchor, yaml);
        File.WriteAllText(folder.ConfigPath, yaml.Replace(anchor, anchor + section, StringComparison.Ordinal));
        return folder;
    }

    private async Task<List<System.Text.Json.Nodes.JsonObject>> SpeakTurnAsync(OlvClient client, string input, string[] reply)
    {
        _shared.Llm.ReplyTo(input, new FakeReply(reply));

        await client.SendAsync(new { type = "text-input", text = input });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
        return frames;
    }

    private static byte[] SpokenWav(System.Text.Json.Nodes.JsonObject audioFrame, int sampleRate)
    {
        var wav = Convert.FromBase64String((string)audioFrame["audio"]!);
        Assert.Equal(1, BitConverter.ToInt16(wav, 22)); // mono
        Assert.Equal(sampleRate, BitConverter.ToInt32(wav, 24));
        Assert.Equal(16, BitConverter.ToInt16(wav, 34));
        return wav;
    }

    [Fact]
    public async Task Azure_tts_speaks_each_sentence_from_ssml_with_the_subscription_key()
    {
        await using var azure = await FakeHttpTtsServer.StartAzureAsync();
        var folder = Folder("azure_tts", $"""
                azure_tts:
                  api_key: '{azure.RequiredKey}'
                  region: 'eastus'
                  voice: 'en-US-AshleyNeural'
                  pitch: '26'
                  rate: '1'
                  base_url: '{azure.BaseUrl}'

            """);

        await using var server = await RunningServer.StartAsync(folder, _shared.Llm, _shared.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        var frames = await SpeakTurnAsync(client, "azure please", ["Hello from Azure. ", "Second sentence here."]);

        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(["Hello from Azure.", "Second sentence here."], audio.Select(f => (string?)f["display_text"]!["text"]));
        foreach (var frame in audio)
        {
            var wav = SpokenWav(frame, 24000);
            Assert.InRange((wav.Length - 44) / 2 / 24000.0, 0.6, 0.7); // the fake's 0.65 s of speech
        }
        Assert.Equal(["en-US-AshleyNeural", "en-US-AshleyNeural"], azure.Requests.Select(r => r.SsmlVoiceOrNull()));
        Assert.All(azure.Requests, r => Assert.Equal(azure.RequiredKey, r.Headers["Ocp-Apim-Subscription-Key"]));
    }

    [Fact]
    public async Task Minimax_tts_speaks_from_its_event_stream_and_a_login_failure_is_an_error_frame()
    {
        await using var minimax = await FakeHttpTtsServer.StartMinimaxAsync();
        var folder = Folder("minimax_tts", $"""
                minimax_tts:
                  group_id: '1890'
                  api_key: '{minimax.RequiredKey}'
                  model: 'speech-02-turbo'
                  voice_id: 'female-shaonv'
                  pronunciation_dict: ''
                  base_url: '{minimax.BaseUrl}'

            """);

        await using var server = await RunningServer.StartAsync(folder, _shared.Llm, _shared.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        var frames = await SpeakTurnAsync(client, "minimax please", ["Hello from MiniMax."]);

        var audio = Assert.Single(frames, f => OlvClient.Type(f) == "audio");
        var wav = SpokenWav(audio, 24000); // speech.mp3 (1.49 s) is 24 kHz; MiniMax's own would be 32 kHz
        Assert.InRange((wav.Length - 44) / 2 / 24000.0, 1.4, 1.6);
        Assert.Equal("1890", Assert.Single(minimax.Requests).Query["GroupId"]);
        Assert.DoesNotContain(frames, f => OlvClient.Type(f) == "error");

        minimax.RequiredKey = "rotated";
        _shared.Llm.ReplyTo("minimax again", new FakeReply(["Nobody hears this."]));
        await client.SendAsync(new { type = "text-input", text = "minimax again" });
        // Nothing to play: the chain ends without waiting for playback.
        var failed = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var error = Assert.Single(failed, f => OlvClient.Type(f) == "error");
        Assert.Contains("minimax_tts", (string?)error["message"]);
        Assert.Null(Assert.Single(failed, f => OlvClient.Type(f) == "audio")["audio"]);
    }

    [Fact]
    public async Task Cosyvoice2_tts_speaks_each_sentence_through_the_gradio_web_ui()
    {
        await using var cosyvoice = await FakeGradioServer.StartCosyVoiceAsync();
        var folder = Folder("cosyvoice2_tts", $"""
                cosyvoice2_tts:
                  client_url: '{cosyvoice.BaseUrl}'
                  mode_checkbox_group: '3s极速复刻'
                  sft_dropdown: ''
                  prompt_text: ''
                  prompt_wav_upload_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
                  prompt_wav_record_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
                  instruct_text: ''
                  stream: False
                  seed: 0
                  speed: 1.0
                  api_name: '/generate_audio'

            """);

        await using var server = await RunningServer.StartAsync(folder, _shared.Llm, _shared.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        var frames = await SpeakTurnAsync(client, "cosyvoice please", ["Hello from CosyVoice. ", "Second sentence here."]);

        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(["Hello from CosyVoice.", "Second sentence here."], audio.Select(f => (string?)f["display_text"]!["text"]));
        Assert.All(audio, frame => Assert.Equal(cosyvoice.Audio.Length, SpokenWav(frame, 22050).Length));
        Assert.Equal(["Hello from CosyVoice.", "Second sentence here."],
            cosyvoice.Calls.Select(c => c.Data[0].GetString()).Order());
    }
}
