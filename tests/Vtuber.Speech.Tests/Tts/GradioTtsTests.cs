using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class CosyVoiceTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeGradioServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeGradioServer.StartCosyVoiceAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CosyVoiceTts Engine(bool version2, CosyVoiceTtsConfig? config = null) =>
        new((config ?? (version2 ? CosyVoiceTtsConfig.Version2Defaults : new CosyVoiceTtsConfig())) with
        {
            ClientUrl = _server.BaseUrl.ToString(),
        }, Http, version2);

    [Fact]
    public async Task Cosyvoice2_sends_olvs_values_in_the_endpoints_order_and_decodes_the_output_wav()
    {
        var config = CosyVoiceTtsConfig.Version2Defaults with { PromptText = "希望你以后能够做的比我还好呦。", Seed = 42, Speed = 1.2 };

        var audio = await Engine(version2: true, config).SynthesizeAsync("你好，很高兴见到你。", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(_server.Audio).Samples, audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
        var call = Assert.Single(_server.Calls);
        Assert.Equal("generate_audio", call.Api);
        var data = call.Data.EnumerateArray().ToArray();
        Assert.Equal(10, data.Length);
        Assert.Equal("你好，很高兴见到你。", data[0].GetString());
        Assert.Equal("3s极速复刻", data[1].GetString());
        Assert.Equal("", data[2].GetString());
        Assert.Equal("希望你以后能够做的比我还好呦。", data[3].GetString());
        foreach (var file in data[4..6])
        {
            Assert.Equal(CosyVoiceTtsConfig.GradioSample, file.GetProperty("path").GetString());
            Assert.Equal("audio_sample.wav", file.GetProperty("orig_name").GetString());
            Assert.Equal("gradio.FileData", file.GetProperty("meta").GetProperty("_type").GetString());
        }
        Assert.Equal("", data[6].GetString());
        Assert.Equal(42, data[7].GetInt32());
        Assert.False(data[8].GetBoolean());
        Assert.Equal(1.2, data[9].GetDouble());
    }

    [Fact]
    public async Task Cosyvoice_sends_no_stream_or_speed_so_the_web_uis_defaults_fill_them_and_info_is_read_once()
    {
        var engine = Engine(version2: false);

        await engine.SynthesizeAsync("Hello.", CancellationToken.None);
        await engine.SynthesizeAsync("Again.", CancellationToken.None);

        Assert.Equal(2, _server.Calls.Count);
        Assert.Equal(1, _server.InfoRequests);
        var data = _server.Calls[0].Data.EnumerateArray().ToArray();
        Assert.Equal("预训练音色", data[1].GetString());
        Assert.Equal("中文女", data[2].GetString());
        Assert.Equal(0, data[7].GetInt32());
        Assert.False(data[8].GetBoolean());
        Assert.Equal(1.0, data[9].GetDouble());
    }

    [Fact]
    public async Task A_failed_job_is_an_engine_failure_with_the_web_uis_message()
    {
        _server.FailWith = "prompt音频为空，您是否忘记输入prompt音频？";

        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(version2: true).SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(CosyVoiceTts.Model2, failure.Engine);
        Assert.Contains("prompt音频为空", failure.Message);
    }

    [Fact]
    public async Task An_api_name_the_web_ui_does_not_have_is_an_engine_failure_naming_the_ones_it_has()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(() =>
            Engine(version2: true, CosyVoiceTtsConfig.Version2Defaults with { ApiName = "/tts" })
                .SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Contains("/tts", failure.Message);
        Assert.Contains("/generate_audio", failure.Message);
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public async Task A_web_ui_that_is_not_running_is_an_engine_failure_naming_the_address()
    {
        var url = _server.BaseUrl.ToString();
        await _server.DisposeAsync();
        _server = await FakeGradioServer.StartCosyVoiceAsync();

        var failure = await Assert.ThrowsAsync<TtsException>(() =>
            new CosyVoiceTts(new CosyVoiceTtsConfig { ClientUrl = url }, Http, version2: false)
                .SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Contains("gradio_api/info", failure.Message);
    }
}

public sealed class SparkTtsTests : IAsyncLifetime, IDisposable
{
    private static readonly HttpClient Http = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("spark-tts-").FullName;
    private FakeGradioServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeGradioServer.StartSparkAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SparkTts Engine(SparkTtsConfig config) => new(config with { ApiUrl = _server.BaseUrl.ToString() }, Http);

    [Fact]
    public async Task Voice_clone_uploads_a_local_reference_and_passes_its_server_path()
    {
        var reference = Path.Combine(_folder, "voice_clone_voice.wav");
        var bytes = TestAssets.Read(TestAssets.SpeechWav);
        await File.WriteAllBytesAsync(reference, bytes);

        var audio = await Engine(new SparkTtsConfig { PromptWavUpload = reference })
            .SynthesizeAsync("Hello there.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(_server.Audio).Samples, audio.Samples);
        Assert.Equal(16000, audio.SampleRate);
        var upload = Assert.Single(_server.Uploads);
        Assert.Equal("voice_clone_voice.wav", upload.FileName);
        Assert.Equal(bytes, upload.Bytes);
        var call = Assert.Single(_server.Calls);
        Assert.Equal("voice_clone", call.Api);
        var data = call.Data.EnumerateArray().ToArray();
        Assert.Equal("Hello there.", data[0].GetString());
        Assert.Equal("", data[1].GetString());
        Assert.Equal(upload.ServerPath, data[2].GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, data[3].ValueKind);
    }

    [Fact]
    public async Task Voice_creation_passes_gender_pitch_and_speed()
    {
        await Engine(new SparkTtsConfig { ApiName = "voice_creation", Gender = "male", Pitch = 4, Speed = 2 })
            .SynthesizeAsync("Hi.", CancellationToken.None);

        var call = Assert.Single(_server.Calls);
        Assert.Equal("voice_creation", call.Api);
        Assert.Equal("""["Hi.","male",4,2]""", call.Data.GetRawText());
        Assert.Empty(_server.Uploads);
    }

    [Fact]
    public async Task A_missing_local_reference_is_an_engine_failure_naming_the_file()
    {
        var missing = Path.Combine(_folder, "gone.wav");

        var failure = await Assert.ThrowsAsync<TtsException>(() =>
            Engine(new SparkTtsConfig { PromptWavUpload = missing }).SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Contains(missing, failure.Message);
        Assert.Empty(_server.Calls);
    }
}
