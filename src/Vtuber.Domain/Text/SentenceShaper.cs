namespace Vtuber.Domain.Text;

/// <summary>
/// OLV's basic_memory_agent output pipeline for one turn: sentence_divider, actions_extractor, display_processor
/// and tts_filter. LLM tokens in, finished sentences out, in order. Not thread-safe.
/// </summary>
public sealed class SentenceShaper
{
    private readonly ShaperOptions _options;
    private readonly SentenceDivider _divider;
    private readonly ExpressionExtractor _expressions;
    private readonly TtsTextFilter _ttsFilter;

    public SentenceShaper(ShaperOptions options)
    {
        _options = options;
        _divider = new SentenceDivider(options.FasterFirstResponse, options.SegmentMethod);
        _expressions = new ExpressionExtractor(options.EmotionMap);
        _ttsFilter = new TtsTextFilter(options.TtsFilter);
    }

    /// <summary>Adds an LLM token; returns the sentences it finished (often none).</summary>
    public IReadOnlyList<SentenceOutput> Push(string token) => Shape(_divider.Push(token));

    /// <summary>End of the LLM stream: the rest of the text as the last sentence, if any.</summary>
    public IReadOnlyList<SentenceOutput> Complete() => Shape(_divider.Complete());

    private SentenceOutput[] Shape(IReadOnlyList<SentenceWithTags> items) => items.Select(Shape).ToArray();

    private SentenceOutput Shape(SentenceWithTags item)
    {
        var think = item.Tags.Any(tag => tag.Name == SentenceDivider.ThinkTag);
        var thinkMarker = think ? item.Tags.FirstOrDefault(tag => tag.State != TagState.Inside) : null;

        // Think blocks are shown in parentheses and never spoken. A bare <think/> is an empty thought: "()".
        var display = thinkMarker?.State switch
        {
            TagState.Start => "(",
            TagState.End => ")",
            TagState.SelfClosing => "()",
            _ => item.Text,
        };
        var expressions = thinkMarker?.State is TagState.Start or TagState.End
            ? []
            : _expressions.Extract(display);

        return new SentenceOutput(
            new DisplayText(display, _options.CharacterName, _options.Avatar),
            think ? "" : _ttsFilter.Filter(display),
            expressions.Count == 0 ? SentenceActions.None : new SentenceActions(expressions));
    }
}
