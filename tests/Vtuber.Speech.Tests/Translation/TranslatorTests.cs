using Vtuber.Domain.Config;
using Vtuber.Speech.Translation;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Translation;

public sealed class TranslatorTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private FakeTranslationServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTranslationServer.StartAsync(TencentTranslator.Authorization);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public void Tencent_signature_matches_olvs_own_tc3_code_for_the_same_request()
    {
        // Computed with OLV's translate/tencent.py algorithm (Python hmac/hashlib) for these exact inputs.
        const string olv = "TC3-HMAC-SHA256 Credential=AKIDtest/2026-01-01/tmt/tc3_request, " +
                           "SignedHeaders=content-type;host;x-tc-action, " +
                           "Signature=b228ff00c4722467b0430f2898ba92cce8b8cb000f2d5474eb231a49f7dff2b3";

        var ours = TencentTranslator.Authorization("AKIDtest", "secretkey123", "tmt.tencentcloudapi.com",
            """{"SourceText":"你好","Source":"zh","Target":"ja","ProjectId":0}""", 1767225600);

        Assert.Equal(olv, ours);
    }

    [Fact]
    public async Task Deeplx_posts_the_text_and_target_language_and_reads_the_translation()
    {
        var translator = new DeepLxTranslator(new DeepLxConfig { TargetLang = "DE", ApiEndpoint = _server.DeepLxEndpoint.ToString() }, _http);

        var spoken = await translator.TranslateAsync("Good morning.", CancellationToken.None);

        Assert.Equal("(DE) Good morning.", spoken);
        Assert.Equal(["Good morning."], _server.Texts);
    }

    [Fact]
    public async Task Tencent_signed_request_is_accepted_and_its_target_text_returned()
    {
        var translator = new TencentTranslator(Tencent(FakeTranslationServer.TencentSecretKey), _http);

        var spoken = await translator.TranslateAsync("你好，世界。", CancellationToken.None);

        Assert.Equal("(ja) 你好，世界。", spoken);
    }

    [Fact]
    public async Task Tencent_error_answer_names_its_code()
    {
        var translator = new TencentTranslator(Tencent("wrong-key"), _http);

        var e = await Assert.ThrowsAsync<TranslationException>(() => translator.TranslateAsync("你好", CancellationToken.None));

        Assert.Equal("tencent", e.Provider);
        Assert.Contains("AuthFailure.SignatureFailure", e.Message);
    }

    [Fact]
    public async Task Deeplx_failures_are_translation_errors_naming_the_endpoint()
    {
        _server.FailWithStatus = 503;
        var translator = new DeepLxTranslator(new DeepLxConfig { ApiEndpoint = _server.DeepLxEndpoint.ToString() }, _http);
        var down = new DeepLxTranslator(new DeepLxConfig { ApiEndpoint = "http://127.0.0.1:1/v2/translate" }, _http);

        var failed = await Assert.ThrowsAsync<TranslationException>(() => translator.TranslateAsync("Hi.", CancellationToken.None));
        var unreachable = await Assert.ThrowsAsync<TranslationException>(() => down.TranslateAsync("Hi.", CancellationToken.None));

        Assert.Contains("answered 503", failed.Message);
        Assert.Contains("cannot reach http://127.0.0.1:1/v2/translate", unreachable.Message);
    }

    private TencentTranslatorConfig Tencent(string secretKey) => new()
    {
        SecretId = FakeTranslationServer.TencentSecretId,
        SecretKey = secretKey,
        BaseUrl = _server.BaseUrl.ToString(),
    };
}
