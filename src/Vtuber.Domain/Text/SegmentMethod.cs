namespace Vtuber.Domain.Text;

/// <summary>How finished sentences are found in the buffered LLM text (conf key segment_method).</summary>
public enum SegmentMethod
{
    /// <summary>"pysbd": rule-based, knows abbreviations, initials, decimals and ellipses.</summary>
    Pysbd,

    /// <summary>"regex": cuts after the first run of end marks, nothing more.</summary>
    Regex,
}
