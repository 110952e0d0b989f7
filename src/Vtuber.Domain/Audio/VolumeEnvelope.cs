namespace Vtuber.Domain.Audio;

/// <summary>
/// The <c>volumes</c> of an OLV <c>audio</c> frame (B:utils/stream_audio.py): the clip cut into fixed slices, the
/// RMS of each slice over its integer samples with channels interleaved, each divided by the loudest slice.
/// </summary>
public static class VolumeEnvelope
{
    public const int DefaultSliceMilliseconds = 20;

    /// <summary>
    /// One value per slice, <c>ceil(duration / slice)</c> of them, the last slice possibly shorter; the loudest is
    /// exactly 1.0. Empty when the loudest slice has RMS 0, which is when OLV sends a silent payload instead.
    /// </summary>
    /// <remarks>
    /// OLV's pydub/audioop truncates each RMS to an integer before dividing; we keep the exact RMS so that "empty"
    /// means precisely "every sample is zero" (<see cref="IsSilent"/>). The values differ by less than 1/peak-RMS.
    /// </remarks>
    public static IReadOnlyList<double> Compute(Pcm16Audio audio, int sliceMilliseconds = DefaultSliceMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceMilliseconds, 1);
        if (audio.Channels < 1 || audio.SampleRate < 1)
            throw new ArgumentException("audio needs a positive sample rate and channel count", nameof(audio));

        long frames = audio.Samples.Length / audio.Channels;
        // Slice i covers frames [floor(i*slice*rate/1000), floor((i+1)*slice*rate/1000)), as pydub slices by
        // milliseconds; rates like 11025 Hz do not give a whole number of frames per 20 ms.
        long framesTimesThousand = frames * 1000;
        long sliceTimesRate = (long)sliceMilliseconds * audio.SampleRate;
        var sliceCount = (int)((framesTimesThousand + sliceTimesRate - 1) / sliceTimesRate);

        var rms = new double[sliceCount];
        var loudest = 0.0;
        for (var i = 0; i < sliceCount; i++)
        {
            var startFrame = i * sliceTimesRate / 1000;
            var endFrame = Math.Min(frames, (i + 1) * sliceTimesRate / 1000);
            var samples = audio.Samples.AsSpan(
                (int)(startFrame * audio.Channels), (int)((endFrame - startFrame) * audio.Channels));
            rms[i] = Rms(samples);
            loudest = Math.Max(loudest, rms[i]);
        }

        if (loudest == 0)
            return [];
        for (var i = 0; i < rms.Length; i++)
            rms[i] /= loudest;
        return rms;
    }

    /// <summary>True when there is nothing to hear: no samples, or every sample is zero.</summary>
    public static bool IsSilent(Pcm16Audio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return !audio.Samples.AsSpan().ContainsAnyExcept((short)0);
    }

    private static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
            return 0;
        double sumOfSquares = 0;
        foreach (var sample in samples)
            sumOfSquares += (double)sample * sample;
        return Math.Sqrt(sumOfSquares / samples.Length);
    }
}
