using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;

namespace Vtuber.Speech.Tests.Tts;

public sealed class TtsEngineFactoryTests
{
    private static readonly HttpClient Http = new();

    [Theory]
    [InlineData("espeak_ng", typeof(EspeakNgTts))]
    [InlineData("openai_tts", typeof(OpenAiTts))]
    public void Tts_model_picks_the_engine(string ttsModel, Type engineType)
    {
        var engine = TtsEngineFactory.Create(new TtsConfig { TtsModel = ttsModel }, Http, "conf.yaml");

        Assert.IsType(engineType, engine);
        Assert.Equal(ttsModel, engine.Name);
    }

    [Fact]
    public void Unknown_tts_model_names_the_file_key_and_accepted_values()
    {
        var error = Assert.Throws<ConfigException>(
            () => TtsEngineFactory.Create(new TtsConfig { TtsModel = "edge_tts" }, Http, "/home/me/olv/conf.yaml"));

        Assert.Equal("/home/me/olv/conf.yaml", error.File);
        Assert.Equal("character_config.tts_config.tts_model", error.KeyPath);
        Assert.Equal("edge_tts", error.Value);
        Assert.Contains("espeak_ng", error.Expected);
        Assert.Contains("openai_tts", error.Expected);
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
}
