using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;

namespace Vtuber.Speech.Tests.Tts;

public sealed class TtsEngineFactoryTests
{
    private static readonly HttpClient Http = new();

    [Theory]
    [InlineData("espeak_ng", typeof(EspeakNgTts))]
    [InlineData("openai_tts", typeof(OpenAiTts))]
    [InlineData("edge_tts", typeof(EdgeTts))]
    [InlineData("elevenlabs_tts", typeof(ElevenLabsTts))]
    [InlineData("flite", typeof(FliteTts))]
    [InlineData("x_tts", typeof(XTts))]
    [InlineData("gpt_sovits_tts", typeof(GptSovitsTts))]
    [InlineData("fish_api_tts", typeof(FishApiTts))]
    [InlineData("siliconflow_tts", typeof(SiliconFlowTts))]
    [InlineData("minimax_tts", typeof(MinimaxTts))]
    [InlineData("cartesia_tts", typeof(CartesiaTts))]
    [InlineData("azure_tts", typeof(AzureTts))]
    [InlineData("cosyvoice_tts", typeof(CosyVoiceTts))]
    [InlineData("cosyvoice2_tts", typeof(CosyVoiceTts))]
    [InlineData("spark_tts", typeof(SparkTts))]
    public void Tts_model_picks_the_engine(string ttsModel, Type engineType)
    {
        var engine = TtsEngineFactory.Create(new TtsConfig { TtsModel = ttsModel }, Http, "conf.yaml");

        Assert.IsType(engineType, engine);
        Assert.Equal(ttsModel, engine.Name);
    }

    [Fact]
    public void A_gradio_engines_local_reference_audio_that_does_not_exist_names_its_key_in_check_and_create()
    {
        var config = new TtsConfig { TtsModel = "spark_tts", SparkTts = new SparkTtsConfig { PromptWavUpload = "/nowhere/voice.wav" } };

        var check = Assert.Throws<ConfigException>(() => TtsEngineFactory.Check(config, "conf.yaml"));
        var create = Assert.Throws<ConfigException>(() => TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.All([check, create], e => Assert.Equal("character_config.tts_config.spark_tts.prompt_wav_upload", e.KeyPath));
        TtsEngineFactory.Check(config with { SparkTts = config.SparkTts with { ApiName = "voice_creation" } }, "conf.yaml");
    }

    [Fact]
    public void Pyttsx3_tts_speaks_through_espeak_ng_as_pyttsx3_does_on_linux()
    {
        var config = new TtsConfig { TtsModel = "pyttsx3_tts", EspeakNg = new EspeakNgTtsConfig { Voice = "en-gb" } };

        var engine = Assert.IsType<EspeakNgTts>(TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.Equal(EspeakNgTts.Model, engine.Name);
    }

    [Fact]
    public void Unknown_tts_model_names_the_file_key_and_accepted_values()
    {
        var error = Assert.Throws<ConfigException>(
            () => TtsEngineFactory.Create(new TtsConfig { TtsModel = "bark_tts" }, Http, "/home/me/olv/conf.yaml"));

        Assert.Equal("/home/me/olv/conf.yaml", error.File);
        Assert.Equal("character_config.tts_config.tts_model", error.KeyPath);
        Assert.Equal("bark_tts", error.Value);
        foreach (var model in new[] { "espeak_ng", "openai_tts", "edge_tts", "elevenlabs_tts", "piper_tts", "flite", "azure_tts", "x_tts" })
            Assert.Contains(model, error.Expected);
    }

    [Fact]
    public void Openai_tts_file_extension_other_than_mp3_or_wav_is_refused()
    {
        var config = new TtsConfig { TtsModel = "openai_tts", OpenAiTts = new OpenAiTtsConfig { FileExtension = "ogg" } };

        var error = Assert.Throws<ConfigException>(() => TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.Equal("character_config.tts_config.openai_tts.file_extension", error.KeyPath);
        Assert.Equal("ogg", error.Value);
    }

    [Theory]
    [InlineData("localhost:8880/v1")]
    [InlineData("ftp://localhost/v1")]
    [InlineData("")]
    public void Openai_tts_base_url_must_be_an_absolute_http_url(string baseUrl)
    {
        var config = new TtsConfig { TtsModel = "openai_tts", OpenAiTts = new OpenAiTtsConfig { BaseUrl = baseUrl } };

        var error = Assert.Throws<ConfigException>(() => TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.Equal("character_config.tts_config.openai_tts.base_url", error.KeyPath);
    }

    [Fact]
    public void Post_processing_wraps_the_engine_only_when_a_step_is_on()
    {
        var plain = TtsEngineFactory.Create(new TtsConfig(), Http, "conf.yaml");
        var processed = TtsEngineFactory.Create(new TtsConfig
        {
            PostProcessing = new TtsPostProcessingConfig { SampleRate = 16000 },
        }, Http, "conf.yaml");

        Assert.IsType<EspeakNgTts>(plain);
        var wrapper = Assert.IsType<PostProcessedTts>(processed);
        Assert.IsType<EspeakNgTts>(wrapper.Engine);
        Assert.Equal("espeak_ng", wrapper.Name);
    }

    [Fact]
    public void Piper_without_a_voice_file_names_the_model_path_key()
    {
        var config = new TtsConfig { TtsModel = "piper_tts", PiperTts = new PiperTtsConfig { ModelPath = "/nowhere/voice.onnx" } };

        var error = Assert.Throws<ConfigException>(() => TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.Equal("character_config.tts_config.piper_tts.model_path", error.KeyPath);
        Assert.Contains("/nowhere/voice.onnx", error.Expected);
    }

    [Fact]
    public void Flite_voice_must_be_one_flite_has()
    {
        var config = new TtsConfig { TtsModel = "flite", Flite = new FliteTtsConfig { Voice = "nosuchvoice" } };

        var error = Assert.Throws<ConfigException>(() => TtsEngineFactory.Create(config, Http, "conf.yaml"));

        Assert.Equal("character_config.tts_config.flite.voice", error.KeyPath);
        Assert.Contains("slt", error.Expected);
    }
}
