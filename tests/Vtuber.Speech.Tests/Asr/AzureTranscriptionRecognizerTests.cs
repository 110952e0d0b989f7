using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Asr;

public sealed class AzureTranscriptionRecognizerTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private FakeAzureSpeechServer _azure = null!;

    public async Task InitializeAsync() => _azure = await FakeAzureSpeechServer.StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private AzureTranscriptionRecognizer Recognizer(string key = FakeAzureSpeechServer.Key) => new(new AzureAsrConfig
    {
        ApiKey = key, Languages = ["en-US", "ja-JP"], BaseUrl = _azure.BaseUrl.ToString(),
    }, _http);

    [Fact]
    public async Task Utterance_is_uploaded_as_16k_wav_with_the_locales_and_the_transcript_returned()
    {
        var samples = Enumerable.Range(0, 16000).Select(i => MathF.Sin(i * 0.1f) * 0.5f).ToArray();

        var text = await Recognizer().TranscribeAsync(samples, CancellationToken.None);

        Assert.Equal("hello from azure", text);
        var request = Assert.Single(_azure.Requests);
        Assert.Equal(["en-US", "ja-JP"], request.Locales);
        Assert.Equal(44 + 16000 * 2, request.Wav.Length);
        Assert.Equal(16000, BitConverter.ToInt32(request.Wav, 24));
        Assert.Equal(16, BitConverter.ToInt16(request.Wav, 34));
    }

    [Fact]
    public async Task Silence_without_phrases_is_an_empty_transcript()
    {
        _azure.Transcript = "";

        Assert.Equal("", await Recognizer().TranscribeAsync(new float[8000], CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_key_is_an_asr_error_naming_the_engine_and_status()
    {
        var e = await Assert.ThrowsAsync<AsrException>(() => Recognizer("wrong").TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.Contains("azure_asr", e.Message);
        Assert.Contains("401", e.Message);
    }

    [Fact]
    public void Default_endpoint_is_the_regions_cognitive_services_host()
    {
        var config = new AzureAsrConfig { ApiKey = "k", Region = "westeurope" };
        Assert.Equal("https://westeurope.api.cognitive.microsoft.com/speechtotext/transcriptions:transcribe?api-version=2024-11-15",
            new AzureTranscriptionRecognizer(config, _http).Endpoint.ToString());
    }
}
