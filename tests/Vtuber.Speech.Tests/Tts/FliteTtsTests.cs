using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tests.Audio;
using Vtuber.Speech.Tts;

namespace Vtuber.Speech.Tests.Tts;

public sealed class FliteTtsTests : IDisposable
{
    private readonly ToolAudio _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task Speaks_what_flite_itself_writes_for_the_same_voice_and_text()
    {
        const string text = "-v Hello there, this is flite."; // a leading dash is text, not an option
        var expected = AudioDecoder.Decode(_tools.Make("flite.wav", "flite", "-voice", "kal16", "-t", text,
            "-o", _tools.PathOf("flite.wav")));

        var audio = await new FliteTts(new FliteTtsConfig { Voice = "kal16" }).SynthesizeAsync(text, CancellationToken.None);

        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(expected.Samples, audio.Samples);
        Assert.True(audio.Duration.TotalSeconds > 1);
    }

    [Fact]
    public void Lists_flites_built_in_voices()
    {
        Assert.Contains("slt", FliteTts.ListVoices("flite"));
        Assert.Contains("kal16", FliteTts.ListVoices("flite"));
    }

    [Fact]
    public async Task A_missing_program_is_an_engine_failure_saying_how_to_install_it()
    {
        var engine = new FliteTts(new FliteTtsConfig { Executable = "/nonexistent/flite" });

        var failure = await Assert.ThrowsAsync<TtsException>(() => engine.SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Contains("apt install flite", failure.Message);
    }
}
