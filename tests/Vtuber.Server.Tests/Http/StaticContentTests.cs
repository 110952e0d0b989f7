using System.Net;
using Vtuber.Server.Tests.Support;

namespace Vtuber.Server.Tests.Http;

public sealed class StaticContentTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Without_the_official_frontend_the_root_serves_our_web_client_which_is_also_at_app()
    {
        var root = await _http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        var page = await root.Content.ReadAsStringAsync();
        Assert.Contains("<svg id=\"character\"", page);
        Assert.Equal(page, await _http.GetStringAsync("/app/"));
        var script = await _http.GetAsync("/app/app.js");
        Assert.Equal("application/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/client-ws", await script.Content.ReadAsStringAsync());
        // The browser VAD's files come from this server, not from a CDN.
        var wasm = await _http.GetAsync("/app/vendor/ort-wasm-simd-threaded.wasm");
        Assert.Equal("application/wasm", wasm.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\0asm"u8.ToArray(), (await wasm.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/app/vendor/silero_vad_v5.onnx")).StatusCode);
    }

    [Fact]
    public async Task App_without_its_slash_is_redirected_so_the_page_finds_its_files()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _http.BaseAddress };

        var response = await http.GetAsync("/app?token=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/?token=abc", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Live2d_model_files_are_served_with_cors_including_unknown_types()
    {
        var model = await _http.GetAsync("/live2d-models/mao_pro/runtime/mao_pro.model3.json");
        Assert.Equal(HttpStatusCode.OK, model.StatusCode);
        Assert.Equal("application/json", model.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", model.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("""{"Version":3}""", await model.Content.ReadAsStringAsync());

        var moc = await _http.GetAsync("/live2d-models/mao_pro/runtime/mao_pro.moc3");
        Assert.Equal(HttpStatusCode.OK, moc.StatusCode);
        Assert.Equal([1, 2, 3, 4], await moc.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Avatars_serve_images_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/avatars/mao.png")).StatusCode);

        var refused = await _http.GetAsync("/avatars/secret.txt");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Forbidden file type", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Backgrounds_are_under_bg()
    {
        var response = await _http.GetAsync("/bg/night/moon.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_plain_http_on_the_socket_path_is_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/client-ws")).StatusCode);
    }

    [Fact]
    public async Task Cross_origin_requests_from_allowed_origins_are_allowed_with_credentials()
    {
        // Other websites are refused (Security/OriginCheckTests); the frontend on a dev server is allowed.
        using var request = new HttpRequestMessage(HttpMethod.Options, "/client-ws");
        request.Headers.Add("Origin", "http://localhost:5173");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await _http.SendAsync(request);

        Assert.Equal("http://localhost:5173", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
    }
}

public sealed class FrontendFolderTests
{
    [Fact]
    public async Task The_frontend_build_is_served_at_the_root_with_wasm_and_onnx_types()
    {
        var llm = await Vtuber.Testing.FakeOpenAiServer.StartAsync();
        var tts = await Vtuber.Testing.FakeSpeechServer.StartAsync();
        await using var _ = llm;
        await using var __ = tts;
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var frontend = Path.Combine(folder.Root, "frontend");
        Directory.CreateDirectory(Path.Combine(frontend, "libs"));
        File.WriteAllText(Path.Combine(frontend, "index.html"), "<html>olv frontend</html>");
        File.WriteAllBytes(Path.Combine(frontend, "libs", "ort-wasm-simd.wasm"), [0, 0x61, 0x73, 0x6D]);
        File.WriteAllBytes(Path.Combine(frontend, "libs", "silero_vad_v5.onnx"), [8, 1]);
        await using var server = await RunningServer.StartAsync(folder, llm, tts);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        Assert.Equal("<html>olv frontend</html>", await http.GetStringAsync("/"));
        Assert.Contains("<svg id=\"character\"", await http.GetStringAsync("/app/")); // ours stays reachable
        var wasm = await http.GetAsync("/libs/ort-wasm-simd.wasm");
        Assert.Equal("application/wasm", wasm.Content.Headers.ContentType?.MediaType);
        var onnx = await http.GetAsync("/libs/silero_vad_v5.onnx");
        Assert.Equal(HttpStatusCode.OK, onnx.StatusCode);
        Assert.Equal([8, 1], await onnx.Content.ReadAsByteArrayAsync());
    }
}
