using System.Diagnostics;
using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Testing;
using Xunit.Abstractions;

namespace Vtuber.Speech.Tests.Asr;

/// <summary>Real pocketsphinx (Debian packages pocketsphinx + pocketsphinx-en-us) on real espeak-ng speech.</summary>
public sealed class PocketsphinxRecognizerTests(ITestOutputHelper output) : IDisposable
{
    private readonly PocketsphinxRecognizer _recognizer = new(new PocketsphinxAsrConfig
    {
        JsgfGrammar = SpokenUtterances.WriteGrammar(),
        Decoders = 2,
    });

    public void Dispose() => _recognizer.Dispose();

    [Fact]
    public async Task Grammar_constrained_recognition_gives_the_exact_sentences()
    {
        foreach (var utterance in new[] { SpokenUtterances.WhatTimeIsIt, SpokenUtterances.ThankYou, SpokenUtterances.DragonStory })
        {
            Assert.Equal(utterance.Text, await _recognizer.TranscribeAsync(utterance.Samples16k(), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Concurrent_utterances_each_get_their_own_transcript()
    {
        var utterances = new[]
        {
            SpokenUtterances.WhatTimeIsIt, SpokenUtterances.DragonStory, SpokenUtterances.ThankYou,
            SpokenUtterances.WhatTimeIsIt, SpokenUtterances.DragonStory,
        };

        var transcripts = await Task.WhenAll(utterances.Select(u => _recognizer.TranscribeAsync(u.Samples16k(), CancellationToken.None)));

        Assert.Equal(utterances.Select(u => u.Text), transcripts);
    }

    [Fact]
    public async Task Silence_gives_an_empty_transcript()
    {
        Assert.Equal("", await _recognizer.TranscribeAsync(new float[16000], CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_utterance_stops_and_the_decoder_stays_usable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _recognizer.TranscribeAsync(SpokenUtterances.ThankYou.Samples16k(), cancelled.Token));
        Assert.Equal(SpokenUtterances.WhatTimeIsIt.Text,
            await _recognizer.TranscribeAsync(SpokenUtterances.WhatTimeIsIt.Samples16k(), CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_acoustic_model_is_named_in_the_error()
    {
        using var recognizer = new PocketsphinxRecognizer(new PocketsphinxAsrConfig { AcousticModel = "/nonexistent/en-us" });

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.Contains("acoustic_model '/nonexistent/en-us' does not exist", error.Message);
    }

    [Fact]
    public async Task An_invalid_grammar_file_gives_a_clear_error()
    {
        var grammar = Path.Combine(Directory.CreateTempSubdirectory("vtuber-jsgf-").FullName, "broken.jsgf");
        await File.WriteAllTextAsync(grammar, "this is not JSGF at all");
        using var recognizer = new PocketsphinxRecognizer(new PocketsphinxAsrConfig { JsgfGrammar = grammar });

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.Contains("ps_init could not load the model", error.Message);
        Assert.Contains(grammar, error.Message);
    }

    /// <summary>The number for the issue notes: a 3 s utterance, decoder already warm (ps_init is paid once).</summary>
    [Fact]
    public async Task Latency_of_a_three_second_utterance_is_reported()
    {
        var samples = SpokenUtterances.ThankYou.Samples16k();
        var cold = Stopwatch.StartNew();
        Assert.Equal(SpokenUtterances.ThankYou.Text, await _recognizer.TranscribeAsync(samples, CancellationToken.None));
        cold.Stop();
        var warm = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var run = Stopwatch.StartNew();
            Assert.Equal(SpokenUtterances.ThankYou.Text, await _recognizer.TranscribeAsync(samples, CancellationToken.None));
            warm.Add(run.Elapsed.TotalMilliseconds);
        }
        warm.Sort();
        output.WriteLine($"pocketsphinx (JSGF), {samples.Length / 16000.0:0.00} s utterance: first call {cold.Elapsed.TotalMilliseconds:0} ms " +
                         $"(includes ps_init), warm median {warm[2]:0} ms, min {warm[0]:0} ms, max {warm[^1]:0} ms");
    }
}
