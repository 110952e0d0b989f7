using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Domain.Tests.Config;

public sealed class GradioTtsEngineConfigTests : IDisposable
{
    private const string Head = MinimalConfig.Character + "\n  tts_config:\n";

    // OLV's conf.default.yaml sections of the Gradio engines, unchanged.
    private const string OlvSections = """
        cosyvoice_tts:
          client_url: 'http://127.0.0.1:50000/'
          mode_checkbox_group: '预训练音色'
          sft_dropdown: '中文女'
          prompt_text: ''
          prompt_wav_upload_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
          prompt_wav_record_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
          instruct_text: ''
          seed: 0
          api_name: '/generate_audio'
        cosyvoice2_tts:
          client_url: 'http://127.0.0.1:50000/'
          mode_checkbox_group: '3s极速复刻'
          sft_dropdown: ''
          prompt_text: ''
          prompt_wav_upload_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
          prompt_wav_record_url: 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav'
          instruct_text: ''
          stream: False
          seed: 0
          speed: 1.0
          api_name: '/generate_audio'
        spark_tts:
          api_url: 'http://127.0.0.1:6006/'
          api_name:  "voice_clone"
          prompt_wav_upload: "voices/nahida.mp3"
          gender:  "female"
          pitch:  3
          speed:  3
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (VtuberConfig Config, List<string> Unknown) Load(string ttsSection)
    {
        var unknown = new List<string>();
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Head + Indent(ttsSection)), unknown.Add);
        return (config, unknown);
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(line => "    " + line));

    [Theory]
    [InlineData("cosyvoice_tts")]
    [InlineData("cosyvoice2_tts")]
    [InlineData("spark_tts")]
    public void Olvs_template_sections_load_with_each_engine_selected(string engine)
    {
        var (config, unknown) = Load($"tts_model: '{engine}'\n{OlvSections}");
        var tts = config.Character.Tts;

        Assert.Equal(engine, tts.TtsModel);
        Assert.Empty(unknown);
        Assert.Equal(("预训练音色", "中文女", "/generate_audio"), (tts.CosyVoiceTts.ModeCheckboxGroup, tts.CosyVoiceTts.SftDropdown, tts.CosyVoiceTts.ApiName));
        Assert.Equal(("3s极速复刻", "", false, 1.0), (tts.CosyVoice2Tts.ModeCheckboxGroup, tts.CosyVoice2Tts.SftDropdown, tts.CosyVoice2Tts.Stream, tts.CosyVoice2Tts.Speed));
        Assert.Equal(CosyVoiceTtsConfig.GradioSample, tts.CosyVoice2Tts.PromptWavUploadUrl);
        // A local reference resolves against the config file's folder, OLV's working folder.
        Assert.Equal(Path.Combine(Path.GetDirectoryName(config.SourcePath)!, "voices", "nahida.mp3"), tts.SparkTts.PromptWavUpload);
        Assert.Equal(("voice_clone", "female", 3, 3), (tts.SparkTts.ApiName, tts.SparkTts.Gender, tts.SparkTts.Pitch, tts.SparkTts.Speed));
    }

    [Fact]
    public void Defaults_are_olvs_template_values_where_a_section_is_missing()
    {
        var tts = Load("tts_model: 'espeak_ng'").Config.Character.Tts;

        Assert.Equal(("http://127.0.0.1:50000/", "预训练音色"), (tts.CosyVoiceTts.ClientUrl, tts.CosyVoiceTts.ModeCheckboxGroup));
        Assert.Equal("3s极速复刻", tts.CosyVoice2Tts.ModeCheckboxGroup);
        Assert.Equal(("http://127.0.0.1:6006/", "voice_clone"), (tts.SparkTts.ApiUrl, tts.SparkTts.ApiName));
        Assert.StartsWith("https://uploadstatic.mihoyo.com/", tts.SparkTts.PromptWavUpload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cosyvoice_tts:\n  client_url: '127.0.0.1:50000'", "cosyvoice_tts.client_url", "127.0.0.1:50000")]
    [InlineData("cosyvoice_tts:\n  seed: -1", "cosyvoice_tts.seed", "-1")]
    [InlineData("cosyvoice2_tts:\n  speed: 3", "cosyvoice2_tts.speed", "3")]
    [InlineData("cosyvoice2_tts:\n  prompt_wav_upload_url: 'ftp://x/a.wav'", "cosyvoice2_tts.prompt_wav_upload_url", "ftp://x/a.wav")]
    [InlineData("spark_tts:\n  api_name: 'clone'", "spark_tts.api_name", "clone")]
    [InlineData("spark_tts:\n  pitch: 6", "spark_tts.pitch", "6")]
    [InlineData("spark_tts:\n  gender: 'other'", "spark_tts.gender", "other")]
    public void Bad_values_of_the_selected_engine_name_their_key(string section, string key, string value)
    {
        var engine = key.Split('.')[0];

        var error = Assert.Throws<ConfigException>(() => Load($"tts_model: '{engine}'\n{section}"));

        Assert.Equal(("character_config.tts_config." + key, value), (error.KeyPath, error.Value));
    }

    [Fact]
    public void A_cosyvoice_section_key_of_cosyvoice2_only_is_unknown()
    {
        var (_, unknown) = Load("tts_model: 'cosyvoice_tts'\ncosyvoice_tts:\n  speed: 1.0");

        Assert.Contains(unknown, u => u.EndsWith("cosyvoice_tts.speed", StringComparison.Ordinal));
    }
}
