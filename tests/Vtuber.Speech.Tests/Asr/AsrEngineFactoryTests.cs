using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;

namespace Vtuber.Speech.Tests.Asr;

public sealed class AsrEngineFactoryTests
{
    private static readonly HttpClient Http = new();

    private static ISpeechRecognizer Create(AsrConfig config) => AsrEngineFactory.Create(config, Http, "/cfg/conf.yaml");

    [Fact]
    public void Pocketsphinx_is_the_default()
    {
        Assert.IsType<PocketsphinxRecognizer>(Create(new AsrConfig()));
    }

    [Fact]
    public void An_unknown_engine_stops_start_up_listing_the_choices()
    {
        var error = Assert.Throws<ConfigException>(() => Create(new AsrConfig { AsrModel = "vosk" }));

        Assert.Equal("/cfg/conf.yaml: character_config.asr_config.asr_model = 'vosk': expected one of: " +
                     "pocketsphinx, whisper_cpp, sherpa_onnx_asr, openai_whisper, groq_whisper_asr, azure_asr", error.Message);
    }

    [Fact]
    public async Task An_olv_engine_this_server_lacks_leaves_voice_off_with_the_reason()
    {
        var recognizer = Assert.IsType<UnavailableRecognizer>(Create(new AsrConfig { AsrModel = "faster_whisper" }));

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[16], CancellationToken.None));

        Assert.Contains("'faster_whisper' is an Open-LLM-VTuber engine this server does not run", error.Message);
    }

    [Fact]
    public void Sherpa_onnx_names_the_model_files_its_model_type_needs()
    {
        var tokens = Path.GetTempFileName();
        var recognizer = Assert.IsType<UnavailableRecognizer>(Create(new AsrConfig
        {
            AsrModel = "sherpa_onnx_asr",
            SherpaOnnxAsr = new SherpaOnnxAsrConfig { ModelType = "sense_voice", SenseVoice = "/models/sv/model.int8.onnx", Tokens = tokens },
        }));

        Assert.Equal("model_type 'sense_voice' needs these files under asr_config.sherpa_onnx_asr: " +
                     "sense_voice ('/models/sv/model.int8.onnx' does not exist); voice input is off", recognizer.Reason);
    }

    [SherpaOnnxFact]
    public void Sherpa_onnx_with_complete_files_and_the_library_set_up_is_the_real_engine()
    {
        var encoder = Path.GetTempFileName();
        var decoder = Path.GetTempFileName();
        var tokens = Path.GetTempFileName();
        var recognizer = Create(new AsrConfig
        {
            AsrModel = "sherpa_onnx_asr",
            SherpaOnnxAsr = new SherpaOnnxAsrConfig { ModelType = "whisper", WhisperEncoder = encoder, WhisperDecoder = decoder, Tokens = tokens },
        });

        Assert.IsType<SherpaOnnxRecognizer>(recognizer);
        Assert.Equal("sherpa_onnx_asr", recognizer.Name);
    }

    [Fact]
    public void A_grammar_path_that_does_not_exist_stops_start_up()
    {
        var error = Assert.Throws<ConfigException>(() => Create(new AsrConfig
        {
            Pocketsphinx = new PocketsphinxAsrConfig { JsgfGrammar = "/nonexistent/commands.jsgf" },
        }));

        Assert.Equal("character_config.asr_config.pocketsphinx.jsgf_grammar", error.KeyPath);
    }

    [Fact]
    public void Groq_needs_an_api_key()
    {
        var error = Assert.Throws<ConfigException>(() => Create(new AsrConfig { AsrModel = "groq_whisper_asr" }));

        Assert.Equal("character_config.asr_config.groq_whisper_asr.api_key", error.KeyPath);
    }
}
