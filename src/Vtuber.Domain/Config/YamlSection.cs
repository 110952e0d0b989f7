using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vtuber.Domain.Config;

/// <summary>
/// One YAML mapping at a key path, read the lenient way OLV's pydantic models read it: absent keys and YAML nulls
/// mean "not given", scalars are converted on request, and every failure names file, key path, value and the form
/// expected. It remembers which keys were read so the rest can be reported as unknown (OLV ignores them silently,
/// which hides typos).
/// </summary>
internal sealed class YamlSection
{
    // YAML 1.1 booleans, as PyYAML (and therefore every existing OLV file) understands them.
    private static readonly HashSet<string> TrueWords = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "on" };
    private static readonly HashSet<string> FalseWords = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "off" };
    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private readonly YamlMappingNode? _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<YamlSection> _all;

    private YamlSection(string file, string path, YamlMappingNode? node, List<YamlSection> all)
    {
        File = file;
        Path = path;
        _node = node;
        _all = all;
        all.Add(this);
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
            null => new YamlSection(file, "", null, []),
            YamlScalarNode scalar when IsNull(scalar) => new YamlSection(file, "", null, []),
            YamlMappingNode mapping => new YamlSection(file, "", mapping, []),
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
        var other => throw Wrong(key, other, "a string"),
    };

    public bool? Bool(string key) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when TrueWords.Contains(v) => true,
        YamlScalarNode { Value: { } v } when FalseWords.Contains(v) => false,
        var other => throw Wrong(key, other, "true or false"),
    };

    public int? Int(string key, int min, int max, string expected) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when int.TryParse(v, NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var n) && n >= min && n <= max => n,
        var other => throw Wrong(key, other, expected),
    };

    public double? Number(string key, double min, double max, string expected) => Get(key) switch
    {
        null => null,
        YamlScalarNode { Value: { } v } when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture,
            out var n) && double.IsFinite(n) && n >= min && n <= max => n,
        var other => throw Wrong(key, other, expected),
    };

    /// <summary>A string that must be one of a closed set (compared exactly, as OLV's Literal types do).</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var value = String(key);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            throw new ConfigException(File, KeyPath(key), value, string.Join(" or ", allowed.Select(a => $"'{a}'")));
        return value;
    }

    public IReadOnlyList<string>? StringList(string key) => Get(key) switch
    {
        null => null,
        YamlSequenceNode list => list.Children.Select((item, i) => item switch
        {
            YamlScalarNode { Value: { } v } => v,
            _ => throw new ConfigException(File, $"{KeyPath(key)}[{i}]", Describe(item), "a string"),
        }).ToList(),
        var other => throw Wrong(key, other, "a list of strings"),
    };

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
    public YamlSection Section(string key) => Get(key) switch
    {
        null => new YamlSection(File, KeyPath(key), null, _all),
        YamlMappingNode mapping => new YamlSection(File, KeyPath(key), mapping, _all),
        var other => throw Wrong(key, other, "a mapping of keys"),
    };

    /// <summary>Reports every key of every section parsed from this document that nobody read or ignored.</summary>
    public void ReportUnknownKeys(Action<string> unknownKey)
    {
        foreach (var section in _all)
        foreach (var key in section.Keys.Where(k => !section._read.Contains(k)))
            unknownKey(section.KeyPath(key));
    }

    public ConfigException Invalid(string key, string? value, string expected) =>
        new(File, KeyPath(key), value, expected);

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        // Matched by text: a key written 'port' or "port" is the same key, whatever tag the parser gave it.
        var node = _node?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var k } && k == key).Value;
        return node is YamlScalarNode scalar && IsNull(scalar) ? null : node;
    }

    private ConfigException Wrong(string key, YamlNode node, string expected) =>
        new(File, KeyPath(key), Describe(node), expected);

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
