using System.Diagnostics;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tests.Audio;
using Vtuber.Speech.Tests.Tts.Piper;
using Vtuber.Speech.Tts;
using Vtuber.Speech.Tts.Piper;
using Vtuber.Testing;
using Xunit.Abstractions;

namespace Vtuber.Speech.Tests.Tts;

/// <summary>
/// Measurements for the issue notes, printed to the test output (run with
/// <c>--logger "console;verbosity=detailed"</c>). They assert only correctness; the numbers are reported, not judged.
/// </summary>
public sealed class TtsOverheadMeasurements(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 15;
    private static readonly HttpClient Http = new();
    private readonly ToolAudio _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task Streaming_decode_leaves_only_the_tail_after_the_last_byte()
    {
        // A realistic sentence in the Edge format (24 kHz mono 48 kbps MP3), made by espeak-ng and lame.
        _tools.Make("long.wav", "espeak-ng", "-v", "en-us", "-w", _tools.PathOf("long.wav"),
            "Hello there, it is lovely to meet you today, and I hope the weather stays this nice for the whole week.");
        var mp3 = _tools.Make("long.mp3", "lame", "--quiet", "-m", "m", "-b", "48", "--resample", "24",
            _tools.PathOf("long.wav"), _tools.PathOf("long.mp3"));
        var buffered = new List<double>();
        var streamed = new List<double>();
        Pcm16Audio? reference = null;
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            reference = AudioDecoder.Decode(mp3);
            buffered.Add(clock.Elapsed.TotalMilliseconds);

            await using var decoder = StreamingAudioDecoder.Sniffing();
            for (var offset = 0; offset < mp3.Length; offset += 1024)
            {
                await decoder.WriteAsync(mp3.AsMemory(offset, Math.Min(1024, mp3.Length - offset)), CancellationToken.None);
                await Task.Delay(2); // the network: frames arrive over time, the decoder keeps up in between
            }
            clock.Restart();
            var audio = await decoder.CompleteAsync(CancellationToken.None);
            streamed.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(reference.Samples, audio.Samples);
        }
        output.WriteLine($"MP3 {mp3.Length} B, {reference!.Duration.TotalSeconds:F2} s of audio: after the last byte, " +
                         $"buffered decode {Median(buffered):F2} ms, streaming decode {Median(streamed):F2} ms (medians of {Rounds})");
    }

    [Fact]
    public async Task Per_sentence_time_of_each_engine_against_its_instant_fake()
    {
        const string sentence = "Hello, nice to meet you.";
        await using var edgeFake = await FakeEdgeTtsServer.StartAsync();
        await using var elevenFake = await FakeElevenLabsServer.StartAsync();
        await using var openAiFake = await FakeSpeechServer.StartAsync();
        await using var xTtsFake = await FakeHttpTtsServer.StartXTtsAsync();
        await using var gptSovitsFake = await FakeHttpTtsServer.StartGptSovitsAsync();
        await using var fishFake = await FakeHttpTtsServer.StartFishAudioAsync();
        await using var siliconFlowFake = await FakeHttpTtsServer.StartSiliconFlowAsync();
        await using var minimaxFake = await FakeHttpTtsServer.StartMinimaxAsync();
        await using var cartesiaFake = await FakeHttpTtsServer.StartCartesiaAsync();
        await using var azureFake = await FakeHttpTtsServer.StartAzureAsync();
        await using var cosyVoiceFake = await FakeGradioServer.StartCosyVoiceAsync();
        var modelPath = _tools.PathOf("tiny.onnx");
        TinyPiperModel.Write(modelPath, withSpeakerId: false);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Tts", "Piper", "en_US-test-medium.onnx.json"), modelPath + ".json");
        using var piper = PiperTts.Load(new PiperTtsConfig { ModelPath = modelPath });
        var engines = new (string What, ITtsEngine Engine)[]
        {
            ("edge_tts (WebSocket fake, 24 kHz MP3)", new EdgeTts(new EdgeTtsConfig { BaseUrl = edgeFake.BaseUrl.ToString() })),
            ("elevenlabs_tts mp3 (HTTP fake)", new ElevenLabsTts(new ElevenLabsTtsConfig
            {
                ApiKey = elevenFake.RequiredApiKey, BaseUrl = elevenFake.BaseUrl.ToString(),
            }, Http)),
            ("elevenlabs_tts pcm_22050 (HTTP fake)", new ElevenLabsTts(new ElevenLabsTtsConfig
            {
                ApiKey = elevenFake.RequiredApiKey, BaseUrl = elevenFake.BaseUrl.ToString(), OutputFormat = "pcm_22050",
            }, Http)),
            ("openai_tts mp3 (HTTP fake)", new OpenAiTts(new OpenAiTtsConfig { BaseUrl = openAiFake.BaseUrl.ToString() }, Http)),
            ("x_tts (HTTP fake, 24 kHz WAV)", new XTts(new XTtsConfig
            {
                ApiUrl = new Uri(xTtsFake.BaseUrl, FakeHttpTtsServer.XTtsPath).ToString(),
            }, Http)),
            ("gpt_sovits_tts streaming (HTTP fake, 22 kHz WAV)", new GptSovitsTts(new GptSovitsTtsConfig
            {
                ApiUrl = new Uri(gptSovitsFake.BaseUrl, FakeHttpTtsServer.GptSovitsPath).ToString(),
                RefAudioPath = "ref.wav", StreamingMode = "true",
            }, Http)),
            ("fish_api_tts (HTTP fake, MP3)", new FishApiTts(new FishApiTtsConfig
            {
                ApiKey = fishFake.RequiredKey, BaseUrl = fishFake.BaseUrl.ToString(),
            }, Http)),
            ("siliconflow_tts mp3 (HTTP fake)", new SiliconFlowTts(new SiliconFlowTtsConfig
            {
                ApiKey = siliconFlowFake.RequiredKey,
                ApiUrl = new Uri(siliconFlowFake.BaseUrl, FakeHttpTtsServer.SiliconFlowPath).ToString(),
            }, Http)),
            ("minimax_tts (HTTP fake, SSE of hex MP3)", new MinimaxTts(new MinimaxTtsConfig
            {
                ApiKey = minimaxFake.RequiredKey, GroupId = "1", BaseUrl = minimaxFake.BaseUrl.ToString(),
            }, Http)),
            ("cartesia_tts wav (HTTP fake, 44.1 kHz f32 WAV)", new CartesiaTts(new CartesiaTtsConfig
            {
                ApiKey = cartesiaFake.RequiredKey, BaseUrl = cartesiaFake.BaseUrl.ToString(),
            }, Http)),
            ("azure_tts (HTTP fake, SSML → 24 kHz WAV)", new AzureTts(new AzureTtsConfig
            {
                ApiKey = azureFake.RequiredKey, BaseUrl = azureFake.BaseUrl.ToString(),
            }, Http)),
            ("cosyvoice2_tts (Gradio fake: call, event stream, file; 22 kHz WAV)", new CosyVoiceTts(
                CosyVoiceTtsConfig.Version2Defaults with { ClientUrl = cosyVoiceFake.BaseUrl.ToString() }, Http, version2: true)),
            ("piper_tts (espeak-ng phonemes + tiny ONNX model)", piper),
            ("espeak_ng (program, incl. synthesis)", new EspeakNgTts(new EspeakNgTtsConfig())),
            ("flite kal16 (program, incl. synthesis)", new FliteTts(new FliteTtsConfig { Voice = "kal16" })),
            ("edge_tts + post-processing (trim, 16 kHz, -1 dBFS)", new PostProcessedTts(
                new EdgeTts(new EdgeTtsConfig { BaseUrl = edgeFake.BaseUrl.ToString() }),
                new AudioPostProcessor(new TtsPostProcessingConfig { SampleRate = 16000, NormalizeDbfs = -1, TrimSilence = true }))),
        };
        output.WriteLine($"| engine | median ms per sentence ({Rounds} rounds, after 2 warm-ups) |");
        output.WriteLine("|---|---|");
        foreach (var (what, engine) in engines)
        {
            for (var warmUp = 0; warmUp < 2; warmUp++)
                await engine.SynthesizeAsync(sentence, CancellationToken.None);
            var times = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var audio = await engine.SynthesizeAsync(sentence, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
                Assert.NotEmpty(audio.Samples);
            }
            output.WriteLine($"| {what} | {Median(times):F2} |");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
