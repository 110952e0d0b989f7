using System.Runtime.Versioning;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;

namespace Vtuber.Speech.Tests.Tts;

public sealed class EspeakNgTtsTests
{
    [Fact]
    public async Task Sentence_becomes_audible_22050_hz_mono_speech()
    {
        var tts = new EspeakNgTts(new EspeakNgTtsConfig());

        var audio = await tts.SynthesizeAsync("Hello, I am your virtual companion. How are you today?", CancellationToken.None);

        Assert.Equal("espeak_ng", tts.Name);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.InRange(audio.Duration.TotalSeconds, 2.0, 8.0);
        Assert.False(VolumeEnvelope.IsSilent(audio));
        Assert.True(VolumeEnvelope.Compute(audio).Count(v => v > 0.2) > 50, "expected over a second of clearly audible speech");
    }

    [Fact]
    public async Task Speed_from_config_changes_how_long_the_sentence_takes()
    {
        const string sentence = "The quick brown fox jumps over the lazy dog.";

        var slow = await new EspeakNgTts(new EspeakNgTtsConfig { Speed = 100 }).SynthesizeAsync(sentence, CancellationToken.None);
        var fast = await new EspeakNgTts(new EspeakNgTtsConfig { Speed = 300 }).SynthesizeAsync(sentence, CancellationToken.None);

        Assert.True(slow.Duration > fast.Duration * 2, $"slow {slow.Duration}, fast {fast.Duration}");
    }

    [Fact]
    public async Task Text_that_looks_like_options_or_shell_is_spoken_not_obeyed()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"espeak-injection-{Guid.NewGuid():N}");
        var tts = new EspeakNgTts(new EspeakNgTtsConfig());

        var audio = await tts.SynthesizeAsync($"--version; touch {marker} $(touch {marker})", CancellationToken.None);

        // --version would print text instead of a WAV; a shell would have created the marker.
        Assert.False(VolumeEnvelope.IsSilent(audio));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Missing_program_is_a_tts_error_that_says_what_to_install()
    {
        var tts = new EspeakNgTts(new EspeakNgTtsConfig { Executable = "/nonexistent/espeak-ng" });

        var error = await Assert.ThrowsAsync<TtsException>(() => tts.SynthesizeAsync("Hello.", CancellationToken.None));

        Assert.Equal("espeak_ng", error.Engine);
        Assert.Contains("/nonexistent/espeak-ng", error.Message);
        Assert.Contains("apt install espeak-ng", error.Message);
    }

    [Fact]
    public async Task Unknown_voice_is_a_tts_error_carrying_espeak_ngs_complaint()
    {
        var tts = new EspeakNgTts(new EspeakNgTtsConfig { Voice = "zzzz" });

        var error = await Assert.ThrowsAsync<TtsException>(() => tts.SynthesizeAsync("Hello.", CancellationToken.None));

        Assert.Contains("exited with code 1", error.Message);
        Assert.Contains("voice does not exist", error.Message);
    }

    [Fact]
    [SupportedOSPlatform("linux")] // a shell-script stand-in and /proc
    public async Task Cancellation_kills_the_running_program()
    {
        // A stand-in program that records its pid and then hangs, so the cancel reliably lands mid-synthesis.
        var folder = Directory.CreateTempSubdirectory("espeak-hang-");
        try
        {
            var pidFile = Path.Combine(folder.FullName, "pid");
            var program = Path.Combine(folder.FullName, "espeak-ng");
            await File.WriteAllTextAsync(program, $"#!/bin/sh\necho $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}'\nexec sleep 600\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var tts = new EspeakNgTts(new EspeakNgTtsConfig { Executable = program });
            using var cancellation = new CancellationTokenSource();

            var synthesis = tts.SynthesizeAsync("Hello.", cancellation.Token);
            await Eventually.TrueAsync(() => File.Exists(pidFile), "the program to start");
            var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim());
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => synthesis);
            await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), $"process {pid} to be gone");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
