using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vtuber.Domain.Config;

/// <summary>
/// One YAML mapping at a key path, read the lenient way OLV's pydantic models read it: absent keys and YAML nulls
/// mean "not given", scalars are converted on request, and every failure names file, key path, value and the form
/// expected. It remembers which keys were read so the rest can be reported as unknown (OLV ignores them silently,
/// which hides typos).
/// A section of an engine that is not selected (tts_config.elevenlabs_tts when tts_model is edge_tts) is read
/// leniently: a value that would be an error is reported as a notice and read as "not given", because OLV's own
/// templates leave such sections half filled in and OLV never looks at them.
/// </summary>
internal sealed class YamlSection
{
    // YAML 1.1 booleans, as PyYAML (and therefore every existing OLV file) understands them.
    private static readonly HashSet<string> TrueWords = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "on" };
    private static readonly HashSet<string> FalseWords = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "off" };
    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private readonly YamlMappingNode? _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly Document _document;
    /// <summary>Why this section is read leniently (the engine that is selected instead); null when strict.</summary>
    private readonly string? _lenientBecause;

    // What every section parsed from one file shares: the sections (for unknown keys) and the notices.
    private sealed class Document
    {
        public List<YamlSection> Sections { get; } = [];
        public List<ConfigNotice> Notices { get; } = [];
    }

    private YamlSection(string file, string path, YamlMappingNode? node, Document document, string? lenientBecause)
    {
        File = file;
        Path = path;
        _node = node;
        _document = document;
        _lenientBecause = lenientBecause;
        document.Sections.Add(this);
    }

    public string File { get; }

    /// <summary>Dotted key path of this mapping; empty for the document root.</summary>
    public string Path { get; }

    /// <summary>
    /// Parses YAML text into its root section; a syntax error names the line and column. Environment overrides
    /// (VTUBER__a__b) replace values of the parsed document before anything reads it.
    /// </summary>
    public static YamlSection Parse(string file, string text,
                                    IReadOnlyList<KeyValuePair<string, string>>? overrides = null)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw SyntaxError(file, text, e.Start, (e.InnerException?.Message ?? e.Message).Trim());
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this for some unterminated constructs at the end of the text; the last event it
            // parsed is the nearest position we can name.
            throw SyntaxError(file, text, parser.Current?.End ?? Mark.Empty,
                "the text ends inside a construct (an unclosed [, { or quote?)");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (overrides is { Count: > 0 })
        {
            root = EnvironmentOverrides.Apply(file, root switch
            {
                YamlMappingNode mapping => mapping,
                null => null,
                YamlScalarNode scalar when IsNull(scalar) => null, // an empty document: the overrides are the whole config
                _ => throw new ConfigException(file, "(document)", Describe(root), "a mapping of sections"),
            }, overrides);
        }
        return root switch
        {
            null => new YamlSection(file, "", null, new Document(), null),
            YamlScalarNode scalar when IsNull(scalar) => new YamlSection(file, "", null, new Document(), null),
            YamlMappingNode mapping => new YamlSection(file, "", mapping, new Document(), null),
            _ => throw new ConfigException(file, "(document)", Describe(root), "a mapping of sections"),
        };
    }

    private static ConfigException SyntaxError(string file, string text, Mark at, string reason)
    {
        var lines = text.Split('\n');
        var line = at.Line >= 1 && at.Line <= lines.Length ? lines[at.Line - 1].Trim() : null;
        return new ConfigException(file, $"(line {at.Line}, column {at.Column})", line, $"valid YAML: {reason}");
    }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The keys present in this mapping, in file order (reading them marks nothing).</summary>
    public IEnumerable<string> Keys =>
        _node?.Children.Keys.Select(k => k is YamlScalarNode s ? s.Value ?? "" : k.ToString()) ?? [];

    /// <summary>Marks keys as known-and-ignored (sections of OLV we accept but do not use yet).</summary>
    public void Ignore(params string[] keys)
    {
        foreach (var key in keys) _read.Add(key);
    }

    public string? String(string key) => Get(key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value ?? "",
        var other => Refuse(key, Describe(other), "a string"),
    };

    public bool? Bool(string key) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when TrueWords.Contains(v) => true,
        YamlScalarNode { Value: { } v } when FalseWords.Contains(v) => false,
        var other => RefuseValue<bool>(key, Describe(other), "true or false"),
    };

    public int? Int(string key, int min, int max, string expected) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when int.TryParse(v, NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var n) && n >= min && n <= max => n,
        var other => RefuseValue<int>(key, Describe(other), expected),
    };

    public double? Number(string key, double min, double max, string expected) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture,
            out var n) && double.IsFinite(n) && n >= min && n <= max => n,
        var other => RefuseValue<double>(key, Describe(other), expected),
    };

    /// <summary>A string that must be one of a closed set (compared exactly, as OLV's Literal types do).</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var value = String(key);
        return value is not null && !allowed.Contains(value, StringComparer.Ordinal)
            ? Refuse(key, value, string.Join(" or ", allowed.Select(a => $"'{a}'")))
            : value;
    }

    /// <summary>A string that, when given, must not be blank.</summary>
    public string? NonBlank(string key, string expected)
    {
        var value = String(key);
        return value is not null && string.IsNullOrWhiteSpace(value) ? Refuse(key, value, expected) : value;
    }

    /// <summary>An absolute URL with one of the given schemes, when given.</summary>
    public string? Url(string key, string[] schemes, string expected)
    {
        var value = String(key);
        return value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme))
            ? Refuse(key, value, expected)
            : value;
    }

    public string? HttpUrl(string key) => Url(key, ["http", "https"], "an absolute http(s) URL");

    public IReadOnlyList<string>? StringList(string key)
    {
        switch (Get(key))
        {
            case null:
                return null;
            case YamlSequenceNode list:
                var items = new List<string>(list.Children.Count);
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (list.Children[i] is YamlScalarNode { Value: { } v }) items.Add(v);
                    else
                    {
                        Refuse($"{key}[{i}]", Describe(list.Children[i]), "a string");
                        return null;
                    }
                }
                return items;
            case var other:
                Refuse(key, Describe(other), "a list of strings");
                return null;
        }
    }

    /// <summary>
    /// A YAML list, or one comma-separated string (what a VTUBER__ environment override can carry); blank items of
    /// the string are dropped, so an empty string is an empty list.
    /// </summary>
    public IReadOnlyList<string>? ListOrCommaSeparated(string key) => Get(key) switch
    {
        YamlScalarNode { Value: { } v } => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        _ => StringList(key),
    };

    /// <summary>A nested mapping; an absent or null key gives an empty section, so defaults apply below it.</summary>
    public YamlSection Section(string key) => Section(key, _lenientBecause);

    /// <summary>
    /// A nested mapping that is read strictly only when <paramref name="selected"/>: the section of one engine of a
    /// family (TTS, ASR, LLM provider, VAD, translator) of which only the chosen one runs.
    /// </summary>
    public YamlSection Section(string key, bool selected, string selectedBy) =>
        Section(key, selected ? _lenientBecause : _lenientBecause ?? $"not used: {selectedBy}");

    private YamlSection Section(string key, string? lenientBecause)
    {
        switch (Get(key))
        {
            case null:
                return new YamlSection(File, KeyPath(key), null, _document, lenientBecause);
            case YamlMappingNode mapping:
                return new YamlSection(File, KeyPath(key), mapping, _document, lenientBecause);
            case var other:
                Refuse(key, Describe(other), "a mapping of keys");
                return new YamlSection(File, KeyPath(key), null, _document, lenientBecause);
        }
    }

    /// <summary>True when values here are read leniently (an engine that is not selected).</summary>
    public bool IsLenient => _lenientBecause is not null;

    /// <summary>Reports every key of every section parsed from this document that nobody read or ignored.</summary>
    public void ReportUnknownKeys(Action<string> unknownKey)
    {
        foreach (var section in _document.Sections)
        foreach (var key in section.Keys.Where(k => !section._read.Contains(k)))
            unknownKey(section.KeyPath(key));
    }

    /// <summary>A setting the file turns on that this server does not do: one start-up warning.</summary>
    public void Warn(string key, string message) =>
        _document.Notices.Add(new ConfigNotice(File, KeyPath(key), message, IsWarning: true));

    /// <summary>The notices gathered while reading this document (lenient reads and warnings), in reading order.</summary>
    public IReadOnlyList<ConfigNotice> Notices => _document.Notices;

    public ConfigException Invalid(string key, string? value, string expected) =>
        new(File, KeyPath(key), value, expected);

    /// <summary>
    /// A value that cannot be used: an error in a strict section; in a lenient one a notice, and null so that the
    /// default applies.
    /// </summary>
    public string? Refuse(string key, string? value, string expected)
    {
        if (_lenientBecause is null) throw Invalid(key, value, expected);
        var shown = ConfigSecrets.Shown(KeyPath(key), value);
        _document.Notices.Add(new ConfigNotice(File, KeyPath(key),
            $"{(shown is null ? "(missing)" : $"'{shown}'")} is not {expected}; the default is kept ({_lenientBecause})",
            IsWarning: false));
        return null;
    }

    private T? RefuseValue<T>(string key, string? value, string expected) where T : struct
    {
        Refuse(key, value, expected);
        return null;
    }

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        // Matched by text: a key written 'port' or "port" is the same key, whatever tag the parser gave it.
        var node = _node?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var k } && k == key).Value;
        return node is YamlScalarNode scalar && IsNull(scalar) ? null : node;
    }

    // Only plain scalars can be null: '' or "null" written in quotes are strings, as in YAML.
    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && NullWords.Contains(scalar.Value ?? "");

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode => "(a list)",
        YamlMappingNode => "(a mapping)",
        _ => node.ToString(),
    };
}
