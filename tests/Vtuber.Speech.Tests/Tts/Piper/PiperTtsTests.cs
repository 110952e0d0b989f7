using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;
using Vtuber.Speech.Tts.Piper;

namespace Vtuber.Speech.Tests.Tts.Piper;

public sealed class PiperTtsTests : IDisposable
{
    private static readonly string VoiceConfigPath =
        Path.Combine(AppContext.BaseDirectory, "Tts", "Piper", "en_US-test-medium.onnx.json");

    private readonly string _folder = Directory.CreateTempSubdirectory("vtuber-piper-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PiperVoiceConfig Voice() => PiperVoiceConfig.Parse(File.ReadAllText(VoiceConfigPath), VoiceConfigPath);

    // "Hello, world." as Piper phonemizes it with espeak-ng (en-us): həlˈoʊ, wˈɜːld.
    private static readonly long[] HelloWorldIds =
    [
        1, 0, // ^ _
        20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, // h ə l ˈ o ʊ
        8, 0, 3, 0, // , space
        35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, // w ˈ ɜ ː l d
        10, 0, // .
        2, // $
    ];

    [Fact]
    public void Voice_config_gives_rate_espeak_voice_scales_and_the_phoneme_map()
    {
        var voice = Voice();

        Assert.Equal(22050, voice.SampleRate);
        Assert.Equal("en-us", voice.EspeakVoice);
        Assert.Equal(0.667f, voice.NoiseScale);
        Assert.Equal(1f, voice.LengthScale);
        Assert.Equal(0.8f, voice.NoiseW);
        Assert.Equal(1, voice.NumSpeakers);
        Assert.Equal([59L], voice.PhonemeIdMap["ə"]);
    }

    [Fact]
    public void Phonemes_become_ids_with_start_pads_and_end_as_piper_does()
    {
        Assert.Equal(HelloWorldIds, PiperPhonemeIds.FromPhonemes("həlˈoʊ, wˈɜːld.", Voice().PhonemeIdMap));
    }

    [Fact]
    public void Phonemes_missing_from_the_map_are_skipped()
    {
        Assert.Equal([1L, 0, 20, 0, 2], PiperPhonemeIds.FromPhonemes("h☃", Voice().PhonemeIdMap));
    }

    [Fact]
    public async Task Espeak_ng_phonemes_keep_each_clauses_punctuation()
    {
        var phonemizer = new EspeakPhonemizer("espeak-ng");

        Assert.Equal("həlˈoʊ, wˈɜːld.", await phonemizer.PhonemizeAsync("Hello, world.", "en-us", CancellationToken.None));
        Assert.Equal("ɪt kˈɔsts θɹˈiː pɔɪnt fˈaɪv dˈɑːlɚz; ɹˈiəli: jˈɛs! wˈaɪ? ˌoʊkˈeɪ.",
            await phonemizer.PhonemizeAsync("It costs 3.5 dollars; really: yes! Why? Ok.", "en-us", CancellationToken.None));
    }

    [Fact]
    public void Clause_terminators_follow_espeak_clause_cuts()
    {
        Assert.Equal([",", "."], EspeakPhonemizer.ClauseTerminators("Hello, world."));
        Assert.Equal(["!", ""], EspeakPhonemizer.ClauseTerminators("Really?! no end")); // the run's last mark
        Assert.Equal(["."], EspeakPhonemizer.ClauseTerminators("Pi is 3.14..."));
    }

    [Fact]
    public async Task The_model_gets_the_phoneme_ids_and_the_length_scale_and_its_samples_come_back_at_the_voice_rate()
    {
        var engine = LoadTinyVoice(withSpeakerId: false, new PiperTtsConfig { LengthScale = 2, NormalizeAudio = false });

        var audio = await engine.SynthesizeAsync("Hello, world.", CancellationToken.None);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        // The tiny model outputs (id × length_scale) / 1000 per id.
        Assert.Equal(HelloWorldIds.Select(id => (short)MathF.Round(id * 2 / 1000f * 32767f)), audio.Samples);
    }

    [Fact]
    public async Task A_multi_speaker_model_gets_the_configured_speaker_and_the_voices_own_scales()
    {
        var engine = LoadTinyVoice(withSpeakerId: true, new PiperTtsConfig { SpeakerId = 7, NormalizeAudio = false });

        var audio = await engine.SynthesizeAsync("Hello, world.", CancellationToken.None);

        // length_scale 1 from the voice config; + speaker 7.
        Assert.Equal(HelloWorldIds.Select(id => (short)MathF.Round((id + 7) / 1000f * 32767f)), audio.Samples);
    }

    [Fact]
    public async Task Normalize_audio_lifts_the_peak_to_full_scale_and_volume_scales_it()
    {
        var engine = LoadTinyVoice(withSpeakerId: false, new PiperTtsConfig { NormalizeAudio = true, Volume = 0.5 });

        var audio = await engine.SynthesizeAsync("Hello, world.", CancellationToken.None);

        Assert.Equal(16384, audio.Samples.Max()); // the largest id (122, ː) at half scale
        Assert.Equal((short)MathF.Round(59 / 122f * 0.5f * 32767f), audio.Samples[4]); // ə
    }

    [Fact]
    public void A_model_without_piper_inputs_is_refused_with_what_it_has()
    {
        var modelPath = Path.Combine(_folder, "not-a-voice.onnx");
        File.WriteAllBytes(modelPath, [0x08, 0x08]); // a protobuf with only an IR version: no graph
        File.Copy(VoiceConfigPath, modelPath + ".json");

        var error = Assert.Throws<InvalidDataException>(() => PiperTts.Load(new PiperTtsConfig { ModelPath = modelPath }));

        Assert.Contains(modelPath, error.Message);
    }

    [PiperVoiceFact]
    public async Task A_real_piper_voice_speaks_a_sentence()
    {
        var modelPath = Environment.GetEnvironmentVariable(PiperVoiceFactAttribute.Variable)!;
        using var engine = PiperTts.Load(new PiperTtsConfig { ModelPath = modelPath });

        var audio = await engine.SynthesizeAsync("Hello, this is a Piper voice.", CancellationToken.None);

        Assert.Equal(engine.Voice.SampleRate, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, 0.8, 6);
        Assert.True(audio.Samples.Max(s => Math.Abs((int)s)) > 3000, "a spoken sentence has loud samples");
    }

    private PiperTts LoadTinyVoice(bool withSpeakerId, PiperTtsConfig overrides)
    {
        var modelPath = Path.Combine(_folder, withSpeakerId ? "tiny-multi.onnx" : "tiny.onnx");
        TinyPiperModel.Write(modelPath, withSpeakerId);
        File.Copy(VoiceConfigPath, modelPath + ".json");
        return PiperTts.Load(overrides with { ModelPath = modelPath });
    }
}

/// <summary>Runs only when PIPER_VOICE names a real Piper voice (.onnx with its .onnx.json): none can be downloaded here.</summary>
public sealed class PiperVoiceFactAttribute : FactAttribute
{
    public const string Variable = "PIPER_VOICE";

    public PiperVoiceFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"set {Variable} to a Piper voice .onnx (with its .onnx.json) to run real-voice inference";
    }
}
