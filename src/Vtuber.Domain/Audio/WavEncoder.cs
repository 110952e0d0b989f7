using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vtuber.Domain.Audio;

/// <summary>
/// Writes PCM16 as the canonical 44-byte-header RIFF/WAVE file the frontend plays and lip-syncs from: Cubism's
/// LAppWavFileHandler accepts only format tag 1 (linear PCM), and OLV sends 16-bit for every compressed source.
/// </summary>
public static class WavEncoder
{
    public const int HeaderLength = 44;
    private const short PcmFormatTag = 1;
    private const short BitsPerSample = 16;

    public static byte[] Encode(Pcm16Audio audio)
    {
        var wav = GC.AllocateUninitializedArray<byte>(EncodedLength(audio));
        EncodeTo(audio, wav);
        return wav;
    }

    /// <summary>The size of the WAV file <see cref="EncodeTo"/> writes for this audio.</summary>
    public static int EncodedLength(Pcm16Audio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return checked(HeaderLength + audio.Samples.Length * sizeof(short));
    }

    /// <summary>Writes the WAV file into the first <see cref="EncodedLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void EncodeTo(Pcm16Audio audio, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Channels < 1)
            throw new ArgumentException($"channel count must be at least 1, was {audio.Channels}", nameof(audio));
        if (audio.SampleRate < 1)
            throw new ArgumentException($"sample rate must be positive, was {audio.SampleRate}", nameof(audio));
        if (audio.Samples.Length % audio.Channels != 0)
            throw new ArgumentException(
                $"{audio.Samples.Length} samples do not divide into whole frames of {audio.Channels} channels",
                nameof(audio));

        var dataLength = checked(audio.Samples.Length * sizeof(short));
        var blockAlign = audio.Channels * sizeof(short);
        var span = destination[..(HeaderLength + dataLength)];

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataLength);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], PcmFormatTag);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], checked((short)audio.Channels));
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], audio.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], checked(audio.SampleRate * blockAlign));
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], checked((short)blockAlign));
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], BitsPerSample);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataLength);

        var data = span[HeaderLength..];
        if (BitConverter.IsLittleEndian)
        {
            // WAV samples are little-endian, as the samples in memory are here: one block copy.
            MemoryMarshal.AsBytes(audio.Samples.AsSpan()).CopyTo(data);
            return;
        }
        for (var i = 0; i < audio.Samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data[(i * sizeof(short))..], audio.Samples[i]);
    }
}
