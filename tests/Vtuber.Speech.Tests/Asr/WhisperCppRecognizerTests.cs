using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Asr;

public sealed class WhisperCppRecognizerTests
{
    private const string ModelVariable = "VTUBER_WHISPER_MODEL";

    [ModelFileFact(ModelVariable)]
    public async Task A_real_ggml_model_transcribes_speech()
    {
        using var recognizer = new WhisperCppRecognizer(Environment.GetEnvironmentVariable(ModelVariable)!, "en", "");

        var text = await recognizer.TranscribeAsync(SpokenUtterances.DragonStory.Samples16k(), CancellationToken.None);

        Assert.Contains("dragon", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_file_that_is_not_a_ggml_model_fails_on_first_use_with_a_clear_error()
    {
        var bogus = Path.Combine(Directory.CreateTempSubdirectory("vtuber-ggml-").FullName, "ggml-bogus.bin");
        await File.WriteAllBytesAsync(bogus, "this is not a ggml model"u8.ToArray());
        using var recognizer = (WhisperCppRecognizer)AsrEngineFactory.Create(new AsrConfig
        {
            AsrModel = "whisper_cpp",
            WhisperCpp = new WhisperCppAsrConfig { ModelName = "bogus", ModelDir = Path.GetDirectoryName(bogus)! },
        }, new HttpClient(), "conf.yaml");
        Assert.Equal(bogus, recognizer.ModelPath);

        var error = await Assert.ThrowsAsync<AsrException>(
            () => recognizer.TranscribeAsync(new float[16000], CancellationToken.None));

        Assert.StartsWith($"whisper_cpp: cannot load the ggml model '{bogus}'", error.Message);
    }

    [Fact]
    public void A_missing_model_file_stops_start_up_naming_the_file_it_looked_for()
    {
        var error = Assert.Throws<ConfigException>(() => AsrEngineFactory.Create(new AsrConfig
        {
            AsrModel = "whisper_cpp",
            WhisperCpp = new WhisperCppAsrConfig { ModelName = "base.en", ModelDir = "/nonexistent/models" },
        }, new HttpClient(), "conf.yaml"));

        Assert.Equal("character_config.asr_config.whisper_cpp.model_name", error.KeyPath);
        Assert.Contains("/nonexistent/models/ggml-base.en.bin does not exist", error.Message);
    }
}
