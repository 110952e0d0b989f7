using Vtuber.Domain.Audio;

namespace Vtuber.Domain.Tests.Audio;

public sealed class VolumeEnvelopeTests
{
    private static short[] Constant(int count, short value) => Enumerable.Repeat(value, count).ToArray();

    [Fact]
    public void Steps_of_constant_level_give_their_levels_relative_to_the_loudest()
    {
        // 16 kHz: 20 ms = 320 samples; the last chunk is half a slice.
        short[] samples = [.. Constant(320, 1000), .. Constant(320, -2000), .. Constant(160, 4000)];

        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(samples, 16000, 1));

        Assert.Equal([0.25, 0.5, 1.0], volumes);
    }

    [Fact]
    public void Sine_slices_scale_with_amplitude_and_the_loudest_is_exactly_one()
    {
        // 400 Hz at 16 kHz: each 20 ms slice holds exactly 8 periods, so RMS = amplitude / sqrt 2 per slice.
        short[] Sine(double amplitude) => Enumerable.Range(0, 320)
            .Select(n => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * 400 * n / 16000)))
            .ToArray();
        short[] samples = [.. Sine(8000), .. Sine(16000), .. Sine(4000), .. Sine(16000)];

        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(samples, 16000, 1));

        Assert.Equal(4, volumes.Count);
        Assert.Equal(0.5, volumes[0], 3);
        Assert.Equal(1.0, volumes[1]);
        Assert.Equal(0.25, volumes[2], 3);
        Assert.Equal(1.0, volumes[3]);
        Assert.Equal(1.0, volumes.Max());
    }

    [Theory]
    [InlineData(22050, 441, 1)]
    [InlineData(22050, 442, 2)]
    [InlineData(22050, 22050, 50)]
    [InlineData(24000, 24001, 51)]
    [InlineData(48000, 1, 1)]
    [InlineData(11025, 221, 2)]
    public void Slice_count_is_duration_over_20ms_rounded_up(int sampleRate, int frames, int expectedSlices)
    {
        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(Constant(frames, 100), sampleRate, 1));

        Assert.Equal(expectedSlices, volumes.Count);
    }

    [Fact]
    public void Slices_start_where_pydub_cuts_milliseconds_when_20ms_is_not_a_whole_number_of_frames()
    {
        // 11025 Hz: 20 ms is 220.5 frames; the first slice is frames [0, 220), the second [220, 441).
        short[] samples = [.. Constant(220, 100), .. Constant(221, 200)];

        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(samples, 11025, 1));

        Assert.Equal([0.5, 1.0], volumes);
    }

    [Fact]
    public void Stereo_rms_runs_over_interleaved_samples_of_both_channels()
    {
        // 8 kHz stereo: 20 ms = 160 frames = 320 interleaved samples.
        var first = Enumerable.Range(0, 320).Select(i => (short)(i % 2 == 0 ? 3000 : 4000));
        var second = Constant(320, 5000);
        short[] samples = [.. first, .. second];

        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(samples, 8000, 2));

        Assert.Equal(2, volumes.Count);
        Assert.Equal(Math.Sqrt((3000.0 * 3000 + 4000.0 * 4000) / 2) / 5000, volumes[0], 12);
        Assert.Equal(1.0, volumes[1]);
    }

    [Fact]
    public void Slice_length_can_be_other_than_20ms()
    {
        short[] samples = [.. Constant(640, 500), .. Constant(640, 1000)];

        var volumes = VolumeEnvelope.Compute(new Pcm16Audio(samples, 16000, 1), sliceMilliseconds: 40);

        Assert.Equal([0.5, 1.0], volumes);
    }

    [Fact]
    public void Silent_clip_gives_no_volumes_and_is_silent()
    {
        var silence = new Pcm16Audio(new short[4410], 22050, 1);

        Assert.Empty(VolumeEnvelope.Compute(silence));
        Assert.True(VolumeEnvelope.IsSilent(silence));
    }

    [Fact]
    public void Empty_clip_gives_no_volumes_and_is_silent()
    {
        var empty = new Pcm16Audio([], 22050, 1);

        Assert.Empty(VolumeEnvelope.Compute(empty));
        Assert.True(VolumeEnvelope.IsSilent(empty));
    }

    [Fact]
    public void One_non_zero_sample_makes_a_clip_audible()
    {
        var samples = new short[4410];
        samples[3000] = -1;
        var clip = new Pcm16Audio(samples, 22050, 1);

        Assert.False(VolumeEnvelope.IsSilent(clip));
        var volumes = VolumeEnvelope.Compute(clip);
        Assert.Equal(10, volumes.Count);
        Assert.Equal(1.0, volumes[6]);
        Assert.Equal(9, volumes.Count(v => v == 0));
    }
}
