using System.Text.Json;
using Vtuber.Server.Tests.Support;
using Vtuber.Speech.Audio;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Voice;

/// <summary>raw-audio-data over a real socket into the server-side Silero VAD (olv-protocol.md 2.16).</summary>
public sealed class ServerVadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int ChunkSamples = 4096; // 256 ms, the size clients stream in; not a multiple of 512 at the end

    private static float[] SilenceSpeechSilence()
    {
        var speech = AudioDecoder.Decode(TestAssets.Read(TestAssets.Speech16kWav)).Samples.Select(s => s / 32768f);
        return new float[16000].Concat(speech).Concat(new float[40000]).ToArray();
    }

    private static float[] SilenceAround(SpokenUtterance utterance) =>
        new float[16000].Concat(utterance.Samples16k()).Concat(new float[40000]).ToArray();

    /// <summary>pocketsphinx with the test grammar, so a server-started turn's transcript is exact.</summary>
    private static async Task<RunningServer> StartWithVadAsync(bool serverStartsTurn)
    {
        var llm = await FakeOpenAiServer.StartAsync();
        var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl,
            extraCharacterYaml: $"  asr_config:\n    asr_model: 'pocketsphinx'\n    pocketsphinx:\n" +
                                $"      jsgf_grammar: '{SpokenUtterances.WriteGrammar()}'\n      decoders: 1");
        var yaml = await File.ReadAllTextAsync(folder.ConfigPath);
        await File.WriteAllTextAsync(folder.ConfigPath, yaml.Replace("\n  tts_config:\n", $"""

              vad_config:
                vad_model: 'silero_vad'
                server_starts_turn: {(serverStartsTurn ? "true" : "false")}
                silero_vad:
                  orig_sr: 16000
                  target_sr: 16000
                  prob_threshold: 0.4
                  db_threshold: 60
                  required_hits: 3
                  required_misses: 24
                  smoothing_window: 5
              tts_config:

            """.Replace("\n            ", "\n")));
        return await RunningServer.StartAsync(folder, llm, tts);
    }

    private static async Task StreamAsync(OlvClient client, float[] samples)
    {
        for (var offset = 0; offset < samples.Length; offset += ChunkSamples)
        {
            var chunk = samples.AsSpan(offset, Math.Min(ChunkSamples, samples.Length - offset)).ToArray();
            await client.SendRawAsync(JsonSerializer.Serialize(new { type = "raw-audio-data", audio = chunk }));
        }
    }

    [Fact]
    public async Task Streamed_speech_gets_control_interrupt_at_its_start_and_control_mic_audio_end_at_its_end()
    {
        await using var server = await StartWithVadAsync(serverStartsTurn: false);
        await using var client = await server.ConnectPastGreetingAsync();

        await StreamAsync(client, SilenceSpeechSilence());

        var frames = await client.ReceiveUntilAsync("control", "mic-audio-end", TimeSpan.FromSeconds(30));
        Assert.Equal(["control(interrupt)", "control(mic-audio-end)"], frames.Select(OlvClient.Describe));
        Assert.Empty(await client.DrainAsync()); // exactly one utterance: nothing else was detected
    }

    [Fact]
    public async Task With_server_starts_turn_the_utterance_goes_to_the_server_instead_of_asking_the_client()
    {
        await using var server = await StartWithVadAsync(serverStartsTurn: true);
        await using var client = await server.ConnectPastGreetingAsync();
        server.Llm.ReplyTo(SpokenUtterances.WhatTimeIsIt.Text, new FakeReply(["It is", " noon."]));

        await StreamAsync(client, SilenceAround(SpokenUtterances.WhatTimeIsIt));

        // The server transcribes the utterance itself and starts the turn: no mic-audio-end asked for.
        var frames = await client.ReceiveUntilAsync("backend-synth-complete", wait: TimeSpan.FromSeconds(60));
        Assert.Equal(
            ["control(interrupt)", "control(conversation-chain-start)", "full-text(Thinking...)",
             "user-input-transcription(what time is it)", "audio(It is noon.)", "backend-synth-complete"],
            frames.Select(OlvClient.Describe));
        Assert.False(string.IsNullOrEmpty((string?)frames[4]["audio"]));
        Assert.Single(server.Llm.Requests); // and "It is noon." proves the LLM was asked exactly the transcript

        await client.SendAsync(new { type = "frontend-playback-complete" });
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"],
            (await client.ReceiveUntilAsync("control", "conversation-chain-end")).Select(OlvClient.Describe));
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task Silence_and_noise_alone_are_never_speech()
    {
        await using var server = await StartWithVadAsync(serverStartsTurn: false);
        await using var client = await server.ConnectPastGreetingAsync();
        var random = new Random(5);
        var noise = Enumerable.Range(0, 48000).Select(_ => (float)(random.NextDouble() * 0.6 - 0.3));
        await StreamAsync(client, new float[32000].Concat(noise).Concat(new float[32000]).ToArray());
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task Without_a_vad_model_raw_audio_data_gets_an_error_frame_and_the_session_goes_on()
    {
        await using var client = await fixture.Server.ConnectPastGreetingAsync();
        await client.SendRawAsync("""{"type":"raw-audio-data","audio":[0.0,0.1,-0.1]}""");
        var error = await client.ReceiveAsync();
        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains("vad_model", (string)error["message"]!);
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task Out_of_range_samples_are_refused_with_an_error_frame()
    {
        await using var client = await fixture.Server.ConnectPastGreetingAsync();
        await client.SendRawAsync("""{"type":"raw-audio-data","audio":[0.5,1.5]}""");
        var error = await client.ReceiveAsync();
        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains("audio[1]", (string)error["message"]!);
        Assert.Contains("1.5", (string)error["message"]!);
    }
}
