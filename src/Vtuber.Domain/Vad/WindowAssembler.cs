namespace Vtuber.Domain.Vad;

/// <summary>
/// Cuts a stream of sample chunks into 512-sample windows. OLV drops the partial window at the end of each
/// raw-audio-data message; here it is carried over, so any chunk size works (olv-protocol.md 11).
/// </summary>
public sealed class WindowAssembler
{
    private readonly float[] _partial = new float[VadWindow.Samples];
    private int _filled;

    /// <summary>Samples waiting for the rest of their window.</summary>
    public int Pending => _filled;

    /// <summary>Every window completed by this chunk, each a fresh array (the detector keeps them).</summary>
    public List<float[]> Append(ReadOnlySpan<float> samples)
    {
        var windows = new List<float[]>((_filled + samples.Length) / VadWindow.Samples);
        if (_filled > 0)
        {
            var take = Math.Min(VadWindow.Samples - _filled, samples.Length);
            samples[..take].CopyTo(_partial.AsSpan(_filled));
            _filled += take;
            samples = samples[take..];
            if (_filled < VadWindow.Samples)
            {
                return windows;
            }
            windows.Add((float[])_partial.Clone());
            _filled = 0;
        }
        while (samples.Length >= VadWindow.Samples)
        {
            windows.Add(samples[..VadWindow.Samples].ToArray());
            samples = samples[VadWindow.Samples..];
        }
        samples.CopyTo(_partial);
        _filled = samples.Length;
        return windows;
    }
}
