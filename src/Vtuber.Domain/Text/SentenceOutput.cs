namespace Vtuber.Domain.Text;

/// <summary>What the frontend shows for one sentence (display_text): tags stay in Text, as OLV does.</summary>
public sealed record DisplayText(string Text, string Name, string Avatar);

/// <summary>A model3 expression from emotionMap: an index into the model's Expressions list, or its name.</summary>
public readonly record struct Expression(int? Index, string? Name)
{
    public static Expression Of(int index) => new(index, null);
    public static Expression Of(string name) => new(null, name);
    public override string ToString() => Index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name ?? "";
}

/// <summary>actions of an audio payload; empty Expressions serialises as {}.</summary>
public sealed record SentenceActions(IReadOnlyList<Expression> Expressions)
{
    public static readonly SentenceActions None = new([]);
}

/// <summary>One sentence of a reply, ready for TTS: TtsText is empty for silent payloads (think text, bare tags).</summary>
public sealed record SentenceOutput(DisplayText Display, string TtsText, SentenceActions Actions);
