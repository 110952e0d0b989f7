using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class AsrConfigTests : IDisposable
{
    private const string Base = "system_config:\n  port: 12393\n" + MinimalConfig.Character;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private VtuberConfig Load(string systemExtra, string characterExtra, List<string>? unknown = null) =>
        ConfigLoader.Load(_folder.Write("conf.yaml",
            Base.Replace("  port: 12393", "  port: 12393\n" + systemExtra) + "\n" + characterExtra), unknown is null ? null : unknown.Add);

    [Fact]
    public void Without_an_asr_section_pocketsphinx_with_the_debian_model_and_a_60s_cap_apply()
    {
        var config = Load("", "");

        Assert.Equal("pocketsphinx", config.Character.Asr.AsrModel);
        Assert.Equal("/usr/share/pocketsphinx/model/en-us/en-us", config.Character.Asr.Pocketsphinx.AcousticModel);
        Assert.Null(config.Character.Asr.Pocketsphinx.JsgfGrammar);
        Assert.Equal(60, config.System.Voice.MaxUtteranceSeconds);
    }

    [Fact]
    public void Engine_sections_are_read_with_olv_keys_and_paths_resolved_against_the_file()
    {
        var unknown = new List<string>();
        var config = Load("  voice:\n    max_utterance_seconds: 30", """
              asr_config:
                asr_model: 'whisper_cpp'
                pocketsphinx:
                  jsgf_grammar: 'grammars/commands.jsgf'
                  decoders: 4
                whisper_cpp:
                  model_name: 'small.en'
                  model_dir: 'models'
                  print_realtime: False
                  print_progress: False
                  language: 'en'
                  prompt: 'Mao'
                sherpa_onnx_asr:
                  model_type: 'sense_voice'
                  sense_voice: './models/sv/model.onnx'
                  tokens: ''
                  num_threads: 2
                  use_itn: False
                  provider: 'cuda'
                openai_whisper:
                  base_url: 'http://localhost:8000/v1'
                  api_key: 'sk-1'
                  model: 'Systran/faster-whisper-small'
                  language: 'en'
                groq_whisper_asr:
                  api_key: 'gsk'
                  model: 'whisper-large-v3'
                  lang: 'zh'
                azure_asr:
                  api_key: 'x'
                  region: 'eastus'
            """, unknown);

        Assert.Empty(unknown);
        var asr = config.Character.Asr;
        var dir = _folder.Path;
        Assert.Equal(30, config.System.Voice.MaxUtteranceSeconds);
        Assert.Equal("whisper_cpp", asr.AsrModel);
        Assert.Equal((Path.Combine(dir, "grammars", "commands.jsgf"), 4), (asr.Pocketsphinx.JsgfGrammar, asr.Pocketsphinx.Decoders));
        Assert.Equal(("small.en", Path.Combine(dir, "models"), "en", "Mao"),
            (asr.WhisperCpp.ModelName, asr.WhisperCpp.ModelDir, asr.WhisperCpp.Language, asr.WhisperCpp.Prompt));
        Assert.Equal((Path.Combine(dir, "models", "sv", "model.onnx"), (string?)null, 2, false, "cuda"),
            (asr.SherpaOnnxAsr.SenseVoice, asr.SherpaOnnxAsr.Tokens, asr.SherpaOnnxAsr.NumThreads, asr.SherpaOnnxAsr.UseItn,
             asr.SherpaOnnxAsr.Provider));
        Assert.Equal(("http://localhost:8000/v1", "sk-1", "Systran/faster-whisper-small", "en"),
            (asr.OpenAiWhisper.BaseUrl, asr.OpenAiWhisper.ApiKey, asr.OpenAiWhisper.Model, asr.OpenAiWhisper.Language));
        Assert.Equal(("gsk", "whisper-large-v3", "zh", "https://api.groq.com/openai/v1"),
            (asr.GroqWhisperAsr.ApiKey, asr.GroqWhisperAsr.Model, asr.GroqWhisperAsr.Lang, asr.GroqWhisperAsr.BaseUrl));
    }

    [Theory]
    [InlineData("  voice:\n    max_utterance_seconds: 0", "", "system_config.voice.max_utterance_seconds")]
    [InlineData("", "  asr_config:\n    asr_model: 'pocketsphinx'\n    pocketsphinx:\n      decoders: 0", "character_config.asr_config.pocketsphinx.decoders")]
    [InlineData("", "  asr_config:\n    asr_model: 'openai_whisper'\n    openai_whisper:\n      base_url: 'localhost:8000'", "character_config.asr_config.openai_whisper.base_url")]
    [InlineData("", "  asr_config:\n    asr_model: 'sherpa_onnx_asr'\n    sherpa_onnx_asr:\n      provider: 'tpu'", "character_config.asr_config.sherpa_onnx_asr.provider")]
    public void Bad_values_name_their_key(string systemExtra, string characterExtra, string keyPath)
    {
        var error = Assert.Throws<ConfigException>(() => Load(systemExtra, characterExtra));

        Assert.Equal(keyPath, error.KeyPath);
    }
}
