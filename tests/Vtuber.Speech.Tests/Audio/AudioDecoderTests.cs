using System.Buffers.Binary;
using Vtuber.Domain.Audio;
using Vtuber.Speech.Audio;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Audio;

public sealed class AudioDecoderTests
{
    private const double HalfScale = 16384; // the sox assets are a sine at "vol 0.5"

    // sox's synth strays up to ~275 (1.7 % of the amplitude) from the ideal sine at higher widths, 512 at 8 bits;
    // a misread width, sign or byte order would be off by thousands.
    [Theory]
    [InlineData("sine440-u8-8k.wav", 8000, 4000, 600)]
    [InlineData("sine440-s24-16k.wav", 16000, 4000, 300)] // WAVE_FORMAT_EXTENSIBLE
    [InlineData("sine440-s32-16k.wav", 16000, 4000, 300)] // WAVE_FORMAT_EXTENSIBLE
    [InlineData("sine440-f32-24k.wav", 24000, 6000, 300)] // IEEE float, with a fact chunk before data
    [InlineData("sine440-f64-24k.wav", 24000, 2400, 300)]
    public void Wav_variants_decode_to_the_sine_sox_wrote(string asset, int sampleRate, int frames, int tolerance)
    {
        var audio = AudioDecoder.Decode(TestAssets.Read(asset));

        Assert.Equal(sampleRate, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(frames, audio.Samples.Length);
        AssertSine(audio.Samples, channel: 0, channels: 1, 440, sampleRate, tolerance);
    }

    [Fact]
    public void The_same_signal_at_24_and_32_bits_decodes_to_the_same_pcm16()
    {
        // Both files come from the same sox synth command, differing only in -b.
        var narrow = AudioDecoder.Decode(TestAssets.Read("sine440-s24-16k.wav")).Samples;
        var wide = AudioDecoder.Decode(TestAssets.Read("sine440-s32-16k.wav")).Samples;

        Assert.Equal(narrow.Length, wide.Length);
        for (var i = 0; i < narrow.Length; i++)
            Assert.InRange(narrow[i] - wide[i], -1, 1);
    }

    [Fact]
    public void Stereo_48k_wav_keeps_its_rate_and_both_channels_interleaved()
    {
        var audio = AudioDecoder.Decode(TestAssets.Read("sine440-660-s16-48k-stereo.wav"));

        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(2, audio.Channels);
        Assert.Equal(TimeSpan.FromSeconds(0.1), audio.Duration);
        AssertSine(audio.Samples, channel: 0, channels: 2, 440, 48000, tolerance: 0);
        AssertSine(audio.Samples, channel: 1, channels: 2, 660, 48000, tolerance: 0);
    }

    [Fact]
    public void Espeak_wav_decodes_to_exactly_its_16_bit_samples()
    {
        var wav = TestAssets.Read(TestAssets.SpeechWav);

        var audio = AudioDecoder.Decode(wav);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(14272, audio.Samples.Length);
        Assert.Equal(DataSamples(wav), audio.Samples);
        Assert.False(VolumeEnvelope.IsSilent(audio));
    }

    [Fact]
    public void Streamed_wav_with_a_placeholder_data_length_decodes_up_to_the_last_byte()
    {
        // espeak-ng --stdout cannot seek back, so it writes 0x7FFFF000 as the data length.
        var wav = TestAssets.Read(TestAssets.SpeechWav);
        var streamed = wav.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(streamed.AsSpan(4), 0x7FFFF024);
        BinaryPrimitives.WriteInt32LittleEndian(streamed.AsSpan(40), 0x7FFFF000);

        var audio = AudioDecoder.Decode(streamed);

        Assert.Equal(DataSamples(wav), audio.Samples);
    }

    [Theory]
    [InlineData(TestAssets.SpeechMp3)]
    [InlineData(TestAssets.SpeechMp3WithId3)]
    public void Mp3_decodes_at_its_own_rate_with_the_source_duration(string asset)
    {
        var audio = AudioDecoder.Decode(TestAssets.Read(asset));

        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        // The source was 1.431 s; MP3 adds encoder delay and frame padding (under 2 frames of 576 samples here).
        Assert.InRange(audio.Duration.TotalSeconds, 1.43, 1.55);
        var volumes = VolumeEnvelope.Compute(audio);
        Assert.True(volumes.Count(v => v > 0.2) > 20, "expected over 400 ms of clearly audible speech");
    }

    [Fact]
    public void Id3_tag_in_front_of_an_mp3_changes_no_sample()
    {
        var plain = AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3));
        var tagged = AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3WithId3));

        Assert.Equal(plain.Samples, tagged.Samples);
    }

    [Fact]
    public void Encoded_wav_decodes_back_to_the_same_pcm()
    {
        var random = new Random(7);
        var samples = new short[2 * 4410];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        samples[0] = short.MinValue;
        samples[1] = short.MaxValue;
        var original = new Pcm16Audio(samples, 44100, 2);

        var decoded = AudioDecoder.Decode(WavEncoder.Encode(original));

        Assert.Equal(44100, decoded.SampleRate);
        Assert.Equal(2, decoded.Channels);
        Assert.Equal(original.Samples, decoded.Samples);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"error\":{\"message\":\"model not found\"}}")]
    [InlineData("OggS\0\u0002\0\0\0\0\0\0")]
    public void Bytes_that_are_neither_wav_nor_mp3_are_refused_clearly(string content)
    {
        var error = Assert.Throws<InvalidDataException>(() => AudioDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(content)));

        Assert.Contains("expected a RIFF/WAVE file or an MP3", error.Message);
    }

    [Fact]
    public void Wav_of_an_unsupported_encoding_is_refused_clearly()
    {
        // A-law (format tag 6) is a real WAV encoding the pipeline has no use for.
        var wav = WavEncoder.Encode(new Pcm16Audio(new short[100], 8000, 1));
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 6);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 8);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), 1);

        Assert.Throws<InvalidDataException>(() => AudioDecoder.Decode(wav));
    }

    private static short[] DataSamples(byte[] canonicalWav) =>
        Enumerable.Range(0, (canonicalWav.Length - 44) / 2)
            .Select(i => BinaryPrimitives.ReadInt16LittleEndian(canonicalWav.AsSpan(44 + i * 2)))
            .ToArray();

    private static void AssertSine(short[] samples, int channel, int channels, double frequency, int sampleRate, int tolerance)
    {
        var frames = samples.Length / channels;
        for (var n = 0; n < frames; n++)
        {
            var expected = HalfScale * Math.Sin(2 * Math.PI * frequency * n / sampleRate);
            var actual = samples[n * channels + channel];
            if (Math.Abs(actual - expected) > tolerance + 0.5)
                Assert.Fail($"channel {channel} frame {n}: expected {expected:F1} ± {tolerance}, got {actual}");
        }
    }

    public static TheoryData<string> Pcm16Shapes => new()
    {
        "mono", "stereo", "list-before-data", "list-after-data", "zero-length-placeholder", "oversized-placeholder",
        "odd-trailing-byte", "stereo-half-frame-at-end", "extensible", "empty-data",
    };

    // The block-copy path must read every 16-bit PCM file exactly as NAudio reads it: same rate, channels, samples.
    [Theory]
    [MemberData(nameof(Pcm16Shapes))]
    public void Pcm16_wav_block_copy_reads_what_naudio_reads(string shape)
    {
        var wav = Pcm16Wav(shape);

        var copied = AudioDecoder.TryDecodePcm16Wav(wav);
        var naudio = AudioDecoder.DecodeWavWithNAudio(wav.ToArray());

        Assert.NotNull(copied);
        Assert.Equal(naudio.SampleRate, copied.SampleRate);
        Assert.Equal(naudio.Channels, copied.Channels);
        Assert.Equal(naudio.Samples, copied.Samples);
        Assert.Equal(naudio.Samples, AudioDecoder.Decode(wav).Samples);
    }

    [Fact]
    public void Other_widths_are_left_to_naudio()
    {
        Assert.Null(AudioDecoder.TryDecodePcm16Wav(TestAssets.Read("sine440-s24-16k.wav")));
        Assert.Null(AudioDecoder.TryDecodePcm16Wav(TestAssets.Read("sine440-f32-24k.wav")));
        Assert.Null(AudioDecoder.TryDecodePcm16Wav(TestAssets.Read("sine440-u8-8k.wav")));
    }

    private static byte[] Pcm16Wav(string shape)
    {
        var channels = shape.StartsWith("stereo", StringComparison.Ordinal) ? 2 : 1;
        var samples = new short[shape == "empty-data" ? 0 : 999 * channels];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (short)(i * 37 % 65536 - 32768);
        var data = new List<byte>();
        foreach (var sample in samples)
            data.AddRange(BitConverter.GetBytes(sample));
        if (shape is "odd-trailing-byte")
            data.Add(0x7F);
        if (shape is "stereo-half-frame-at-end")
            data.AddRange([0x01, 0x02]);

        var fmt = new List<byte>();
        var extensible = shape == "extensible";
        fmt.AddRange(BitConverter.GetBytes((ushort)(extensible ? 0xFFFE : 1)));
        fmt.AddRange(BitConverter.GetBytes((ushort)channels));
        fmt.AddRange(BitConverter.GetBytes(22050));
        fmt.AddRange(BitConverter.GetBytes(22050 * 2 * channels));
        fmt.AddRange(BitConverter.GetBytes((ushort)(2 * channels)));
        fmt.AddRange(BitConverter.GetBytes((ushort)16));
        if (extensible)
        {
            fmt.AddRange(BitConverter.GetBytes((ushort)22)); // cbSize
            fmt.AddRange(BitConverter.GetBytes((ushort)16)); // valid bits
            fmt.AddRange(BitConverter.GetBytes(channels == 1 ? 4 : 3)); // channel mask
            fmt.AddRange(Guid.Parse("00000001-0000-0010-8000-00aa00389b71").ToByteArray()); // KSDATAFORMAT_SUBTYPE_PCM
        }

        var body = new List<byte>("WAVE"u8.ToArray());
        void Chunk(string id, IReadOnlyCollection<byte> bytes, uint? declared = null)
        {
            body.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
            body.AddRange(BitConverter.GetBytes(declared ?? (uint)bytes.Count));
            body.AddRange(bytes);
            if (bytes.Count % 2 == 1 && id != "data")
                body.Add(0);
        }
        Chunk("fmt ", fmt);
        byte[] list = [.. "INFOISFT"u8.ToArray(), 5, 0, 0, 0, (byte)'s', (byte)'o', (byte)'x', 0, 0, 0];
        if (shape == "list-before-data")
            Chunk("LIST", list);
        uint? declaredData = shape switch
        {
            "zero-length-placeholder" => 0u,
            "oversized-placeholder" => 0x7FFFF000u,
            _ => null,
        };
        Chunk("data", data, declaredData);
        if (shape == "list-after-data")
            Chunk("LIST", list);
        byte[] riff = [.. "RIFF"u8.ToArray(), .. BitConverter.GetBytes((uint)body.Count), .. body];
        return riff;
    }
}
