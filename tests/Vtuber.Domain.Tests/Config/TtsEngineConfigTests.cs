using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class TtsEngineConfigTests : IDisposable
{
    private const string Head = MinimalConfig.Character + "\n  tts_config:\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (TtsConfig Tts, List<string> Unknown) Load(string ttsSection)
    {
        var unknown = new List<string>();
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Head + Indent(ttsSection)), unknown.Add);
        return (config.Character.Tts, unknown);
    }

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n').Select(line => "    " + line));

    [Fact]
    public void Olv_engine_sections_are_read_with_olv_keys()
    {
        var (tts, unknown) = Load("""
            tts_model: 'edge_tts'
            edge_tts:
              voice: 'ja-JP-NanamiNeural'
              rate: '+10%'
              pitch: '-5Hz'
              volume: '-20%'
              base_url: 'ws://127.0.0.1:9/edge'
            elevenlabs_tts:
              api_key: 'xi-1'
              voice_id: 'voice-1'
              model_id: 'eleven_turbo_v2_5'
              output_format: 'pcm_16000'
              stability: 0.3
              similarity_boost: 0.9
              style: 0.2
              use_speaker_boost: false
              base_url: 'http://127.0.0.1:9'
            piper_tts:
              model_path: 'models/piper/en_US-lessac-medium.onnx'
              speaker_id: 2
              length_scale: 1.2
              noise_scale: 0.5
              noise_w: 0.6
              volume: 0.8
              normalize_audio: false
              use_cuda: false
            flite:
              voice: 'kal16'
              executable: '/usr/bin/flite'
            post_processing:
              sample_rate: 16000
              normalize_dbfs: -1.5
              trim_silence: true
              trim_threshold_dbfs: -45
              trim_keep_ms: 30
            """);

        Assert.Empty(unknown);
        Assert.Equal("edge_tts", tts.TtsModel);
        Assert.Equal(new EdgeTtsConfig
        {
            Voice = "ja-JP-NanamiNeural", Rate = "+10%", Pitch = "-5Hz", Volume = "-20%", BaseUrl = "ws://127.0.0.1:9/edge",
        }, tts.EdgeTts);
        Assert.Equal(new ElevenLabsTtsConfig
        {
            ApiKey = "xi-1", VoiceId = "voice-1", ModelId = "eleven_turbo_v2_5", OutputFormat = "pcm_16000",
            Stability = 0.3, SimilarityBoost = 0.9, Style = 0.2, UseSpeakerBoost = false, BaseUrl = "http://127.0.0.1:9",
        }, tts.ElevenLabsTts);
        Assert.Equal(new PiperTtsConfig
        {
            ModelPath = Path.Combine(_folder.Path, "models", "piper", "en_US-lessac-medium.onnx"),
            SpeakerId = 2, LengthScale = 1.2, NoiseScale = 0.5, NoiseW = 0.6, Volume = 0.8, NormalizeAudio = false,
        }, tts.PiperTts);
        Assert.Equal(new FliteTtsConfig { Voice = "kal16", Executable = "/usr/bin/flite" }, tts.Flite);
        Assert.Equal(new TtsPostProcessingConfig
        {
            SampleRate = 16000, NormalizeDbfs = -1.5, TrimSilence = true, TrimThresholdDbfs = -45, TrimKeepMs = 30,
        }, tts.PostProcessing);
    }

    [Fact]
    public void Absent_sections_take_olv_defaults_and_post_processing_is_off()
    {
        var (tts, _) = Load("tts_model: 'espeak_ng'");

        Assert.Equal(("en-US-AvaMultilingualNeural", "+0%", "+0Hz", "+0%", EdgeTtsConfig.DefaultBaseUrl),
            (tts.EdgeTts.Voice, tts.EdgeTts.Rate, tts.EdgeTts.Pitch, tts.EdgeTts.Volume, tts.EdgeTts.BaseUrl));
        Assert.Equal(("mp3_44100_128", "https://api.elevenlabs.io"), (tts.ElevenLabsTts.OutputFormat, tts.ElevenLabsTts.BaseUrl));
        Assert.Null(tts.PiperTts.ModelPath);
        Assert.Null(tts.PiperTts.LengthScale); // the voice config's own scale applies
        Assert.Equal(new TtsPostProcessingConfig(), tts.PostProcessing);
        Assert.Null(tts.PostProcessing.SampleRate);
    }

    [Theory]
    [InlineData("edge_tts:\n  rate: '10%'", "edge_tts.rate", "10%", "a signed percentage such as +0% or -10%")]
    [InlineData("edge_tts:\n  pitch: '+5'", "edge_tts.pitch", "+5", "a signed frequency such as +0Hz or -5Hz")]
    [InlineData("edge_tts:\n  base_url: 'http://x'", "edge_tts.base_url", "http://x", "an absolute ws(s) URL")]
    [InlineData("elevenlabs_tts:\n  output_format: 'ogg'", "elevenlabs_tts.output_format", "ogg", null)]
    [InlineData("elevenlabs_tts:\n  stability: 2", "elevenlabs_tts.stability", "2", "a number 0..1")]
    [InlineData("piper_tts:\n  length_scale: 0", "piper_tts.length_scale", "0", null)]
    [InlineData("flite:\n  voice: ''", "flite.voice", "", null)]
    [InlineData("post_processing:\n  sample_rate: 100", "post_processing.sample_rate", "100", "a sample rate 8000..192000 (Hz)")]
    [InlineData("post_processing:\n  normalize_dbfs: 3", "post_processing.normalize_dbfs", "3", "a peak level -60..0 (dBFS)")]
    public void Bad_engine_values_name_their_key(string section, string key, string value, string? expected)
    {
        var engine = key.Split('.')[0];
        var selected = engine == "post_processing" ? section : $"tts_model: '{engine}'\n{section}";

        var error = Assert.Throws<ConfigException>(() => Load(selected));

        Assert.Equal(("character_config.tts_config." + key, value), (error.KeyPath, error.Value));
        if (expected is not null) Assert.Equal(expected, error.Expected);
    }

    [Theory]
    [InlineData("edge_tts:\n  rate: '10%'", "edge_tts.rate", "+0%")]
    [InlineData("elevenlabs_tts:\n  voice_id: ''", "elevenlabs_tts.voice_id", "JBFqnCBsd6RMkjVDRZzb")]
    [InlineData("flite:\n  voice: ''", "flite.voice", "slt")]
    public void Bad_values_of_an_engine_that_is_not_selected_are_noted_and_take_the_default(string section, string key,
                                                                                          string defaultValue)
    {
        var notices = new List<ConfigNotice>();
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Head + Indent("tts_model: 'espeak_ng'\n" + section)),
            notice: notices.Add);

        var note = Assert.Single(notices);
        Assert.Equal(("character_config.tts_config." + key, false), (note.KeyPath, note.IsWarning));
        Assert.Contains("the default is kept (not used: tts_model is 'espeak_ng')", note.Message);
        var tts = config.Character.Tts;
        Assert.Equal(defaultValue, key.Split('.')[0] switch
        {
            "edge_tts" => tts.EdgeTts.Rate,
            "elevenlabs_tts" => tts.ElevenLabsTts.VoiceId,
            _ => tts.Flite.Voice,
        });
    }
}
