using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class HttpTtsEngineConfigTests : IDisposable
{
    private const string Head = MinimalConfig.Character + "\n  tts_config:\n";

    // OLV's conf.default.yaml sections of these engines, unchanged.
    private const string OlvSections = """
        azure_tts:
          api_key: 'azure-api-key'
          region: 'eastus'
          voice: 'en-US-AshleyNeural'
          pitch: '26'
          rate: '1'
        x_tts:
          api_url: 'http://127.0.0.1:8020/tts_to_audio'
          speaker_wav: 'female'
          language: 'en'
        gpt_sovits_tts:
          api_url: 'http://127.0.0.1:9880/tts'
          text_lang: 'zh'
          ref_audio_path: ''
          prompt_lang: 'zh'
          prompt_text: ''
          text_split_method: 'cut5'
          batch_size: '1'
          media_type: 'wav'
          streaming_mode: 'false'
        fish_api_tts:
          api_key: ''
          reference_id: ''
          latency: 'balanced'
          base_url: 'https://api.fish.audio'
        siliconflow_tts:
          api_url: "https://api.siliconflow.cn/v1/audio/speech"
          api_key: "your key"
          default_model: "FunAudioLLM/CosyVoice2-0.5B"
          default_voice: "speech:Dreamflowers:5bdstvc39i:xkqldnpasqmoqbakubom your voice name"
          sample_rate: 32000
          response_format: "mp3"
          stream: true
          speed: 1
          gain: 0
        minimax_tts:
          group_id: ''
          api_key: ''
          model: 'speech-02-turbo'
          voice_id: 'female-shaonv'
          pronunciation_dict: ''
        cartesia_tts:
          api_key: ''
          voice_id: ''
          model_id: 'sonic-3'
          output_format: 'wav'
          language: 'en'
          emotion: 'neutral'
          volume: 1.0
          speed: 1.0
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (TtsConfig Tts, List<string> Unknown, List<ConfigNotice> Notices) Load(string ttsSection)
    {
        var unknown = new List<string>();
        var notices = new List<ConfigNotice>();
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Head + Indent(ttsSection)), unknown.Add, notice: notices.Add);
        return (config.Character.Tts, unknown, notices);
    }

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n').Select(line => "    " + line));

    [Theory]
    [InlineData("azure_tts")]
    [InlineData("x_tts")]
    [InlineData("gpt_sovits_tts")]
    [InlineData("fish_api_tts")]
    [InlineData("siliconflow_tts")]
    [InlineData("minimax_tts")]
    [InlineData("pyttsx3_tts")]
    public void Olvs_template_sections_load_with_each_engine_selected(string engine)
    {
        var (tts, unknown, _) = Load($"tts_model: '{engine}'\n{OlvSections}");

        Assert.Equal(engine, tts.TtsModel);
        Assert.Empty(unknown);
        Assert.Equal(("26", "1", "eastus"), (tts.AzureTts.Pitch, tts.AzureTts.Rate, tts.AzureTts.Region));
        Assert.Equal(("female", "en"), (tts.XTts.SpeakerWav, tts.XTts.Language));
        Assert.Equal(("cut5", "false", "wav"), (tts.GptSovitsTts.TextSplitMethod, tts.GptSovitsTts.StreamingMode, tts.GptSovitsTts.MediaType));
        Assert.Equal(("", "balanced"), (tts.FishApiTts.ReferenceId, tts.FishApiTts.Latency));
        Assert.Equal((32000, "mp3", true), (tts.SiliconFlowTts.SampleRate, tts.SiliconFlowTts.ResponseFormat, tts.SiliconFlowTts.Stream));
        Assert.Equal(("female-shaonv", "https://api.minimax.chat"), (tts.MinimaxTts.VoiceId, tts.MinimaxTts.BaseUrl));
    }

    [Fact]
    public void Cartesia_with_olvs_empty_voice_id_is_refused_when_selected_and_noted_when_not()
    {
        var error = Assert.Throws<ConfigException>(() => Load($"tts_model: 'cartesia_tts'\n{OlvSections}"));
        Assert.Equal("character_config.tts_config.cartesia_tts.voice_id", error.KeyPath);

        var (tts, _, notices) = Load($"tts_model: 'edge_tts'\n{OlvSections}");
        Assert.Contains(notices, n => n.KeyPath == "character_config.tts_config.cartesia_tts.voice_id" && !n.IsWarning);
        Assert.Equal("6ccbfb76-1fc6-48f7-b71d-91ac6298247b", tts.CartesiaTts.VoiceId);
    }

    [Fact]
    public void Olvs_pydantic_alias_gpt_sovits_is_read_too()
    {
        var (tts, unknown, _) = Load("tts_model: 'gpt_sovits_tts'\ngpt_sovits:\n  api_url: 'http://10.0.0.2:9880/tts'\n  text_lang: 'ja'");

        Assert.Empty(unknown);
        Assert.Equal(("http://10.0.0.2:9880/tts", "ja"), (tts.GptSovitsTts.ApiUrl, tts.GptSovitsTts.TextLang));
    }

    [Fact]
    public void Defaults_are_olvs_where_a_section_is_missing()
    {
        var (tts, _, _) = Load("tts_model: 'espeak_ng'");

        Assert.Equal("http://127.0.0.1:8020/tts_to_audio", tts.XTts.ApiUrl);
        Assert.Equal(("http://127.0.0.1:9880/tts", "zh"), (tts.GptSovitsTts.ApiUrl, tts.GptSovitsTts.TextLang));
        Assert.Equal(("7f92f8afb8ec43bf81429cc1c9199cb1", "https://api.fish.audio"), (tts.FishApiTts.ReferenceId, tts.FishApiTts.BaseUrl));
        Assert.Equal("https://api.siliconflow.cn/v1/audio/speech", tts.SiliconFlowTts.ApiUrl);
        Assert.Equal(("speech-02-turbo", "male-qn-qingse"), (tts.MinimaxTts.Model, tts.MinimaxTts.VoiceId));
        Assert.Equal(("sonic-3", "wav", "https://api.cartesia.ai"), (tts.CartesiaTts.ModelId, tts.CartesiaTts.OutputFormat, tts.CartesiaTts.BaseUrl));
        Assert.Equal("https://eastus.tts.speech.microsoft.com/cognitiveservices/v1", tts.AzureTts.Endpoint);
    }

    [Theory]
    [InlineData("x_tts:\n  api_url: '127.0.0.1:8020/tts_to_audio'", "x_tts.api_url", "127.0.0.1:8020/tts_to_audio")]
    [InlineData("gpt_sovits_tts:\n  media_type: 'ogg'", "gpt_sovits_tts.media_type", "ogg")]
    [InlineData("gpt_sovits_tts:\n  batch_size: 'two'", "gpt_sovits_tts.batch_size", "two")]
    [InlineData("fish_api_tts:\n  latency: 'fast'", "fish_api_tts.latency", "fast")]
    [InlineData("siliconflow_tts:\n  response_format: 'opus'", "siliconflow_tts.response_format", "opus")]
    [InlineData("siliconflow_tts:\n  sample_rate: 100", "siliconflow_tts.sample_rate", "100")]
    [InlineData("minimax_tts:\n  pronunciation_dict: '[1, 2]'", "minimax_tts.pronunciation_dict", "[1, 2]")]
    [InlineData("cartesia_tts:\n  emotion: 'grumpy'", "cartesia_tts.emotion", "grumpy")]
    [InlineData("cartesia_tts:\n  speed: 3", "cartesia_tts.speed", "3")]
    [InlineData("azure_tts:\n  region: 'east us'", "azure_tts.region", "east us")]
    [InlineData("azure_tts:\n  pitch: 'high'", "azure_tts.pitch", "high")]
    [InlineData("azure_tts:\n  base_url: 'ftp://x'", "azure_tts.base_url", "ftp://x")]
    public void Bad_values_of_the_selected_engine_name_their_key(string section, string key, string value)
    {
        var engine = key.Split('.')[0];

        var error = Assert.Throws<ConfigException>(() => Load($"tts_model: '{engine}'\n{section}"));

        Assert.Equal(("character_config.tts_config." + key, value), (error.KeyPath, error.Value));
    }

    [Fact]
    public void A_key_under_pyttsx3_tts_is_unknown_since_pyttsx3_has_none()
    {
        var (_, unknown, _) = Load("tts_model: 'pyttsx3_tts'\npyttsx3_tts:\n  rate: 200");

        Assert.Contains(unknown, u => u.Contains("pyttsx3_tts.rate", StringComparison.Ordinal));
    }
}
