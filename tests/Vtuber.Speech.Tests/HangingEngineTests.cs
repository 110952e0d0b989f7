using System.Runtime.Versioning;
using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Speech.Tts;
using Vtuber.Speech.Tts.Piper;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests;

/// <summary>
/// Every engine against an upstream that accepts and never answers, under the deadline the turn gives it: the call
/// ends at the bound, the connection is given up (the server sees it go) and a child program is killed with its tree.
/// </summary>
public sealed class HangingEngineTests
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan }; // only the deadline bounds
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);

    private static Task<T> UnderDeadline<T>(Func<CancellationToken, Task<T>> call) =>
        Deadline.RunAsync(call, Bound, CancellationToken.None);

    [Fact]
    public async Task Openai_tts_that_never_answers_is_given_up_at_the_deadline()
    {
        await using var server = await FakeSpeechServer.StartAsync();
        server.HangForInput = _ => true;
        var tts = new OpenAiTts(new OpenAiTtsConfig { BaseUrl = server.BaseUrl.ToString(), FileExtension = "wav" }, Http);

        await Assert.ThrowsAsync<DeadlineExceededException>(() => UnderDeadline(ct => tts.SynthesizeAsync("Hello.", ct)));

        await Eventually.TrueAsync(() => server.AbortedRequests == 1, "the request to be aborted");
    }

    [Theory]
    [InlineData(EdgeHang.BeforeHandshake)]
    [InlineData(EdgeHang.AfterRequest)]
    public async Task Edge_tts_that_never_answers_is_given_up_at_the_deadline(EdgeHang hang)
    {
        await using var server = await FakeEdgeTtsServer.StartAsync();
        server.Hang = hang;
        var tts = new EdgeTts(new EdgeTtsConfig { BaseUrl = server.BaseUrl.ToString() });

        await Assert.ThrowsAsync<DeadlineExceededException>(() => UnderDeadline(ct => tts.SynthesizeAsync("Hello.", ct)));

        await Eventually.TrueAsync(() => server.AbandonedConnections == 1, "the socket to be given up");
        Assert.Equal(hang == EdgeHang.AfterRequest ? 1 : 0, server.Syntheses.Count);
    }

    [Fact]
    public async Task Openai_whisper_that_never_answers_is_given_up_at_the_deadline()
    {
        await using var server = await FakeTranscriptionServer.StartAsync();
        server.Hangs = true;
        var asr = AsrEngineFactory.Create(new AsrConfig
        {
            AsrModel = OpenAiTranscriptionRecognizer.OpenAiWhisper,
            OpenAiWhisper = new OpenAiWhisperAsrConfig { BaseUrl = server.BaseUrl.ToString(), ApiKey = "", Model = "whisper-1" },
        }, Http, "conf.yaml");

        await Assert.ThrowsAsync<DeadlineExceededException>(
            () => UnderDeadline(ct => asr.TranscribeAsync(new float[1600], ct)));

        await Eventually.TrueAsync(() => server.AbortedRequests == 1, "the upload to be aborted");
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Espeak_ng_that_hangs_is_killed_with_its_children_at_the_deadline()
    {
        using var program = HangingProgram.Create();
        var tts = new EspeakNgTts(new EspeakNgTtsConfig { Executable = program.Path });

        await AssertKilledAtTheDeadline(program, ct => tts.SynthesizeAsync("Hello.", ct));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Flite_that_hangs_is_killed_with_its_children_at_the_deadline()
    {
        using var program = HangingProgram.Create();
        var tts = new FliteTts(new FliteTtsConfig { Executable = program.Path });

        await AssertKilledAtTheDeadline(program, ct => tts.SynthesizeAsync("Hello.", ct));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task The_piper_phonemizer_that_hangs_is_killed_with_its_children_at_the_deadline()
    {
        using var program = HangingProgram.Create();
        var phonemizer = new EspeakPhonemizer(program.Path);

        await AssertKilledAtTheDeadline(program, ct => phonemizer.PhonemizeAsync("Hello.", "en-us", ct));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_flite_voice_list_that_hangs_is_a_tts_error_and_the_program_is_killed()
    {
        using var program = HangingProgram.Create();

        var error = await Task.Run(() => Assert.Throws<TtsException>(() => FliteTts.ListVoices(program.Path)));

        Assert.Contains("gave no voice list within 10 s", error.Message);
        await Eventually.TrueAsync(() => program.Runs.Count == 1 && program.AllGone, "the program and its child to be gone");
    }

    [SupportedOSPlatform("linux")]
    private static async Task AssertKilledAtTheDeadline<T>(HangingProgram program, Func<CancellationToken, Task<T>> call)
    {
        await Assert.ThrowsAsync<DeadlineExceededException>(() => UnderDeadline(call));

        await Eventually.TrueAsync(() => program.Runs.Count == 1, "the program to have started");
        await Eventually.TrueAsync(() => program.AllGone, "the program and its child to be gone");
    }
}
