namespace Vtuber.Domain.Text;

/// <summary>OLV's tts_manager test for "nothing to say": such a sentence becomes a silent payload (audio null).</summary>
public static class SilentText
{
    private const string Ignored = ".,!?，。！？'\"』」）】";

    public static bool IsSilent(string ttsText)
    {
        foreach (var c in ttsText)
        {
            if (!char.IsWhiteSpace(c) && !Ignored.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
