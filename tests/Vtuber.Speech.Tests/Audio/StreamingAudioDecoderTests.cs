using Vtuber.Speech.Audio;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Audio;

public sealed class StreamingAudioDecoderTests
{
    [Theory]
    [InlineData(TestAssets.SpeechMp3, 1)]
    [InlineData(TestAssets.SpeechMp3, 7)]
    [InlineData(TestAssets.SpeechMp3WithId3, 3)]
    [InlineData(TestAssets.SpeechWav, 5)]
    public async Task Bytes_in_any_chunking_decode_to_the_same_samples_as_the_whole_file(string asset, int chunkBytes)
    {
        var bytes = TestAssets.Read(asset);
        await using var decoder = StreamingAudioDecoder.Sniffing();

        for (var offset = 0; offset < bytes.Length; offset += chunkBytes)
            await decoder.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkBytes, bytes.Length - offset)), CancellationToken.None);
        var audio = await decoder.CompleteAsync(CancellationToken.None);

        var whole = AudioDecoder.Decode(bytes);
        Assert.Equal(whole.Samples, audio.Samples);
        Assert.Equal((whole.SampleRate, whole.Channels), (audio.SampleRate, audio.Channels));
        Assert.Equal(bytes.Length, decoder.BytesWritten);
    }

    [Fact]
    public async Task An_abandoned_mp3_stream_releases_its_decoder()
    {
        var mp3 = TestAssets.Read(TestAssets.SpeechMp3);
        var decoder = StreamingAudioDecoder.Sniffing();
        await decoder.WriteAsync(mp3.AsMemory(0, mp3.Length / 2), CancellationToken.None);

        // Returns only once the decoding thread has stopped; a leak would hang here.
        await decoder.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Bytes_that_are_no_audio_are_refused_when_complete()
    {
        await using var decoder = StreamingAudioDecoder.Sniffing();
        await decoder.WriteAsync("{\"detail\":\"no\"}"u8.ToArray(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => decoder.CompleteAsync(CancellationToken.None));

        Assert.Contains("unrecognised audio", error.Message);
    }

    [Fact]
    public async Task Raw_pcm16_keeps_samples_split_across_chunks()
    {
        byte[] pcm = [0x01, 0x00, 0xFF, 0x7F, 0x00, 0x80, 0xFE, 0xFF];
        await using var decoder = StreamingAudioDecoder.RawPcm16(16000, channels: 1);

        await decoder.WriteAsync(pcm.AsMemory(0, 3), CancellationToken.None);
        await decoder.WriteAsync(pcm.AsMemory(3), CancellationToken.None);
        var audio = await decoder.CompleteAsync(CancellationToken.None);

        Assert.Equal([1, short.MaxValue, short.MinValue, -2], audio.Samples);
        Assert.Equal(16000, audio.SampleRate);
    }
}
