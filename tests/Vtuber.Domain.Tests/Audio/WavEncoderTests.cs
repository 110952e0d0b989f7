using System.Buffers.Binary;
using Vtuber.Domain.Audio;

namespace Vtuber.Domain.Tests.Audio;

public sealed class WavEncoderTests
{
    [Fact]
    public void Mono_clip_gets_the_canonical_44_byte_pcm16_header_and_little_endian_samples()
    {
        var wav = WavEncoder.Encode(new Pcm16Audio([1, -2, short.MaxValue, short.MinValue], 22050, 1));

        byte[] expected =
        [
            (byte)'R', (byte)'I', (byte)'F', (byte)'F', 44, 0, 0, 0, // RIFF size = 36 + 8 data bytes
            (byte)'W', (byte)'A', (byte)'V', (byte)'E',
            (byte)'f', (byte)'m', (byte)'t', (byte)' ', 16, 0, 0, 0,
            1, 0, // format tag 1: linear PCM
            1, 0, // channels
            0x22, 0x56, 0, 0, // 22050 Hz
            0x44, 0xAC, 0, 0, // byte rate 44100
            2, 0, // block align
            16, 0, // bits per sample
            (byte)'d', (byte)'a', (byte)'t', (byte)'a', 8, 0, 0, 0,
            0x01, 0x00, 0xFE, 0xFF, 0xFF, 0x7F, 0x00, 0x80,
        ];
        Assert.Equal(expected, wav);
    }

    [Fact]
    public void Stereo_48k_header_states_rate_byte_rate_block_align_and_data_length()
    {
        var samples = new short[2 * 960]; // 20 ms of stereo
        samples[0] = 7;
        var wav = WavEncoder.Encode(new Pcm16Audio(samples, 48000, 2));

        Assert.Equal(44 + 3840, wav.Length);
        Assert.Equal(36 + 3840, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(48000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(192000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(28)));
        Assert.Equal(4, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(32)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        Assert.Equal("data"u8.ToArray(), wav[36..40]);
        Assert.Equal(3840, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(7, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44)));
    }

    [Fact]
    public void Data_section_holds_every_sample_in_order()
    {
        var samples = Enumerable.Range(0, 1000).Select(i => (short)(i * 65 - 32000)).ToArray();

        var wav = WavEncoder.Encode(new Pcm16Audio(samples, 16000, 1));

        var decoded = Enumerable.Range(0, samples.Length)
            .Select(i => BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(WavEncoder.HeaderLength + i * 2)))
            .ToArray();
        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void Empty_clip_is_a_valid_header_with_zero_data_length()
    {
        var wav = WavEncoder.Encode(new Pcm16Audio([], 24000, 1));

        Assert.Equal(44, wav.Length);
        Assert.Equal(36, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
    }

    [Fact]
    public void Samples_that_do_not_fill_whole_frames_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => WavEncoder.Encode(new Pcm16Audio([1, 2, 3], 48000, 2)));

        Assert.Contains("whole frames", error.Message);
    }
}
