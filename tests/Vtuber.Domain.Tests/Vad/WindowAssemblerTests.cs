using Vtuber.Domain.Vad;

namespace Vtuber.Domain.Tests.Vad;

public sealed class WindowAssemblerTests
{
    [Fact]
    public void Partial_windows_carry_over_to_the_next_chunk_in_order()
    {
        var stream = Enumerable.Range(0, 3000).Select(i => i / 4000f).ToArray();
        var assembler = new WindowAssembler();
        var windows = new List<float[]>();
        var offset = 0;
        foreach (var size in new[] { 700, 300, 12, 1536, 100, 352 })
        {
            windows.AddRange(assembler.Append(stream.AsSpan(offset, size)));
            offset += size;
        }
        Assert.Equal(3000 / VadWindow.Samples, windows.Count);
        Assert.Equal(3000 % VadWindow.Samples, assembler.Pending);
        Assert.Equal(stream[..(windows.Count * VadWindow.Samples)], windows.SelectMany(w => w).ToArray());
    }

    [Fact]
    public void A_chunk_smaller_than_a_window_yields_nothing_until_the_window_is_full()
    {
        var assembler = new WindowAssembler();
        Assert.Empty(assembler.Append(new float[511]));
        var windows = assembler.Append(new float[] { 0.5f });
        Assert.Equal(0.5f, Assert.Single(windows)[511]);
        Assert.Equal(0, assembler.Pending);
    }
}
