using System.Text;

namespace Vtuber.Speech.Tts.Piper;

/// <summary>
/// Phonemes → model input ids as Piper does it (piper-phonemize's phonemes_to_ids with its defaults): the
/// sentence start '^', then every phoneme followed by the pad '_', then the end '$'. A phoneme is one Unicode
/// codepoint of the NFD-decomposed phoneme string; codepoints missing from the map are skipped, as Piper does.
/// </summary>
public static class PiperPhonemeIds
{
    public const string Pad = "_";
    public const string Bos = "^";
    public const string Eos = "$";

    public static long[] FromPhonemes(string phonemes, IReadOnlyDictionary<string, long[]> idMap)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentNullException.ThrowIfNull(idMap);
        var pad = idMap[Pad];
        var ids = new List<long>(phonemes.Length * 2 + 3);
        ids.AddRange(idMap[Bos]);
        ids.AddRange(pad);
        foreach (var rune in phonemes.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (!idMap.TryGetValue(rune.ToString(), out var phonemeIds))
                continue;
            ids.AddRange(phonemeIds);
            ids.AddRange(pad);
        }
        ids.AddRange(idMap[Eos]);
        return [.. ids];
    }
}
