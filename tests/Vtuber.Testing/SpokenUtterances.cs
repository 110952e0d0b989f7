using System.Buffers.Binary;

namespace Vtuber.Testing;

/// <summary>A spoken test utterance: its WAV asset and the exact words said.</summary>
public sealed record SpokenUtterance(string Asset, string Text)
{
    /// <summary>The samples as floats in [-1, 1], as the browser sends them (the assets are 16 kHz mono 16-bit).</summary>
    public float[] Samples16k() => SpokenUtterances.ReadPcm16Mono16k(TestAssets.Read(Asset));
}

/// <summary>espeak-ng speech at 16 kHz (Assets/README.md) and the JSGF grammar that makes pocketsphinx exact on it.</summary>
public static class SpokenUtterances
{
    public static readonly SpokenUtterance WhatTimeIsIt = new("utterance-what-time-is-it.wav", "what time is it");
    public static readonly SpokenUtterance ThankYou = new("utterance-thank-you.wav",
        "thank you so much for the follow i really appreciate it");
    public static readonly SpokenUtterance DragonStory = new("utterance-dragon-story.wav", "tell me a story about a dragon");

    public const string Grammar = """
        #JSGF V1.0;

        grammar vtuber;

        public <sentence> = what time is it
                          | thank you so much for the follow i really appreciate it
                          | tell me a story about a dragon
                          | what is the weather like today
                          | good morning how are you;
        """;

    /// <summary>Writes <see cref="Grammar"/> to a temp file and returns its path.</summary>
    public static string WriteGrammar()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("vtuber-jsgf-").FullName, "vtuber.jsgf");
        File.WriteAllText(path, Grammar);
        return path;
    }

    /// <summary>The data chunk of a canonical PCM16 mono 16 kHz WAV as floats (fails on anything else).</summary>
    public static float[] ReadPcm16Mono16k(byte[] wav)
    {
        var span = wav.AsSpan();
        if (!span[..4].SequenceEqual("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a RIFF/WAVE file");
        var offset = 12;
        (int Channels, int Rate, int Bits)? format = null;
        while (offset + 8 <= span.Length)
        {
            var id = span.Slice(offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(span[(offset + 4)..]);
            var body = span.Slice(offset + 8, Math.Min(size, span.Length - offset - 8));
            if (id.SequenceEqual("fmt "u8))
            {
                format = (BinaryPrimitives.ReadInt16LittleEndian(body[2..]), BinaryPrimitives.ReadInt32LittleEndian(body[4..]),
                    BinaryPrimitives.ReadInt16LittleEndian(body[14..]));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format != (1, 16000, 16))
                    throw new InvalidDataException($"expected mono 16 kHz 16-bit, got {format}");
                var samples = new float[body.Length / 2];
                for (var i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(2 * i)..]) / 32768f;
                return samples;
            }
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
