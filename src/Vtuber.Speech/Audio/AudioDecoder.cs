using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NAudio.Wave;
using NLayer;
using Vtuber.Domain.Audio;

namespace Vtuber.Speech.Audio;

/// <summary>
/// Turns what a TTS engine returns (WAV of any common width, or MP3) into PCM16 at the source's own rate and
/// channel count, as OLV's pydub re-encode does: the browser plays whatever rate the WAV header states.
/// </summary>
public static class AudioDecoder
{
    private const int ReadBlockSamples = 4096;

    public static Pcm16Audio Decode(ReadOnlySpan<byte> data)
    {
        // The engines' file extensions and Content-Type headers are not trustworthy, so the bytes decide.
        if (IsRiffWave(data))
            return TryDecodePcm16Wav(data) ?? DecodeWavWithNAudio(data.ToArray());
        if (LooksLikeMp3(data))
            return DecodeMp3(data.ToArray());
        throw new InvalidDataException(
            $"unrecognised audio: expected a RIFF/WAVE file or an MP3 (ID3 tag or MPEG frame sync), got {data.Length} bytes starting {Preview(data)}");
    }

    /// <summary>Whether these first bytes (10 are enough) start an MP3: an ID3 tag or an MPEG frame sync.</summary>
    public static bool LooksLikeMp3(ReadOnlySpan<byte> data) => StartsWithId3Tag(data) || StartsWithMpegFrameSync(data);

    private static bool IsRiffWave(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WAVE"u8);

    private static bool StartsWithId3Tag(ReadOnlySpan<byte> data) => data.Length >= 10 && data[..3].SequenceEqual("ID3"u8);

    // 11 set bits of frame sync, then a layer field that is not the reserved 00 (which excludes AAC ADTS, 0xFFF1).
    private static bool StartsWithMpegFrameSync(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0xFF && (data[1] & 0xE0) == 0xE0 && (data[1] & 0x06) != 0;

    internal static Pcm16Audio DecodeWavWithNAudio(byte[] wav)
    {
        try
        {
            // Streamed WAVs (espeak-ng --stdout, many HTTP servers) carry a placeholder data length larger than the
            // file; NAudio reads until the bytes end, which is what we want. A zero placeholder (GPT-SoVITS's
            // streaming mode) would read as empty, so it becomes "to the end" too.
            FillZeroDataLength(wav);
            using var reader = new WaveFileReader(new MemoryStream(wav, writable: false));
            var format = reader.WaveFormat;
            var samples = ReadAllAsPcm16(reader.ToSampleProvider());
            return new Pcm16Audio(WholeFrames(samples, format.Channels), format.SampleRate, format.Channels);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException($"unsupported or damaged WAV: {e.Message}", e);
        }
    }

    /// <summary>
    /// The common case, a 16-bit PCM WAV, as one block copy of its data chunk: no float round trip and no growing
    /// sample list. Null for anything else (other widths, float, compressed, unusual chunk order), which NAudio reads.
    /// The data length is read as <see cref="DecodeWavWithNAudio"/> reads it: a zero or too-large placeholder means "to the end".
    /// </summary>
    internal static Pcm16Audio? TryDecodePcm16Wav(ReadOnlySpan<byte> wav)
    {
        int? channels = null;
        var sampleRate = 0;
        for (var offset = 12; offset + 8 <= wav.Length;)
        {
            var id = wav.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav[(offset + 4)..]);
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > wav.Length - body || !IsPcm16Format(wav.Slice(body, (int)size)))
                    return null;
                channels = BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 2)..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav[(body + 4)..]);
                if (channels < 1 || sampleRate < 1)
                    return null;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels is not { } count)
                    return null;
                var available = wav.Length - body;
                var length = size == 0 || size > available ? available : (int)size;
                return new Pcm16Audio(WholeFramesOfPcm16(wav.Slice(body, length), count), sampleRate, count);
            }
            if (size >= wav.Length - offset)
                return null; // a chunk longer than the file: NAudio reports it
            offset = body + (int)size + (int)(size & 1);
        }
        return null;
    }

    /// <summary>Little-endian 16-bit samples as whole frames (a partial last frame dropped), in one block copy.</summary>
    internal static short[] WholeFramesOfPcm16(ReadOnlySpan<byte> bytes, int channels)
    {
        var samples = GC.AllocateUninitializedArray<short>(bytes.Length / (2 * channels) * channels);
        var whole = bytes[..(samples.Length * 2)];
        if (BitConverter.IsLittleEndian)
            whole.CopyTo(MemoryMarshal.AsBytes(samples.AsSpan()));
        else
            for (var i = 0; i < samples.Length; i++)
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(whole[(2 * i)..]);
        return samples;
    }

    // WAVE_FORMAT_PCM, or WAVE_FORMAT_EXTENSIBLE whose sub-format GUID starts with PCM's tag; 16 bits per sample.
    private static bool IsPcm16Format(ReadOnlySpan<byte> fmt)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (bits != 16)
            return false;
        if (tag == 1)
            return true;
        return tag == 0xFFFE && fmt.Length >= 26 && BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]) == 1;
    }

    private static void FillZeroDataLength(byte[] wav)
    {
        for (var offset = 12; offset + 8 <= wav.Length;)
        {
            var size = BitConverter.ToUInt32(wav, offset + 4);
            if (wav.AsSpan(offset, 4).SequenceEqual("data"u8))
            {
                if (size == 0 && wav.Length > offset + 8)
                    BitConverter.TryWriteBytes(wav.AsSpan(offset + 4, 4), (uint)(wav.Length - offset - 8));
                return;
            }
            if (size >= wav.Length - offset) return; // a chunk longer than the file: NAudio reports it
            offset += 8 + (int)size + (int)(size & 1);
        }
    }

    private static Pcm16Audio DecodeMp3(byte[] mp3)
    {
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(mp3, writable: false));
            var channels = mpeg.Channels;
            var sampleRate = mpeg.SampleRate;
            var pcm = new ArrayBufferWriter<short>(mp3.Length * 6);
            var block = new float[ReadBlockSamples * channels];
            int read;
            while ((read = mpeg.ReadSamples(block, 0, block.Length)) > 0)
                AppendAsPcm16(pcm, block.AsSpan(0, read));
            if (pcm.WrittenCount == 0)
                throw new InvalidDataException("MP3 without any decodable frame");
            return new Pcm16Audio(WholeFrames(pcm.WrittenSpan.ToArray(), channels), sampleRate, channels);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            // NLayer reports broken streams with assorted exception types (e.g. index errors); callers need one.
            throw new InvalidDataException($"damaged MP3: {e.Message}", e);
        }
    }

    private static short[] ReadAllAsPcm16(ISampleProvider provider)
    {
        var pcm = new ArrayBufferWriter<short>();
        var block = new float[ReadBlockSamples * provider.WaveFormat.Channels];
        int read;
        while ((read = provider.Read(block)) > 0)
            AppendAsPcm16(pcm, block.AsSpan(0, read));
        return pcm.WrittenSpan.ToArray();
    }

    internal static void AppendAsPcm16(ArrayBufferWriter<short> pcm, ReadOnlySpan<float> samples)
    {
        var target = pcm.GetSpan(samples.Length);
        for (var i = 0; i < samples.Length; i++)
            target[i] = (short)Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
        pcm.Advance(samples.Length);
    }

    // A truncated download can end mid-frame; a partial frame would shift every later channel.
    internal static short[] WholeFrames(short[] samples, int channels) =>
        samples.Length % channels == 0 ? samples : samples[..(samples.Length - samples.Length % channels)];

    private static string Preview(ReadOnlySpan<byte> data) =>
        data.IsEmpty ? "(empty)" : Convert.ToHexString(data[..Math.Min(8, data.Length)]);
}
