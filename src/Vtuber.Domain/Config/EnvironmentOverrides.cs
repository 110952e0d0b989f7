using System.Collections;
using YamlDotNet.RepresentationModel;

namespace Vtuber.Domain.Config;

/// <summary>
/// Deployment overrides in the .NET convention: <c>VTUBER__system_config__port=12400</c> sets
/// <c>system_config.port</c> of conf.yaml. Keys are the conf.yaml keys joined by a double underscore; a key matches
/// the file's key of the same name ignoring case (environment names are often upper case), and is added when the
/// file lacks it. Overrides replace scalars on the parsed YAML before it is read, so they are validated exactly like
/// the file (a value reads as if written unquoted there) (and a secret can come from the environment without being written anywhere).
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "VTUBER__";

    /// <summary>The VTUBER__ variables of the given environment (the process environment when null).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> From(IReadOnlyDictionary<string, string?>? environment)
    {
        var variables = environment?.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))
                        ?? Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string));
        return variables
            .Where(v => v.Value is not null && v.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) &&
                        v.Key.Length > Prefix.Length)
            .Select(v => new KeyValuePair<string, string>(v.Key, v.Value!))
            // Deterministic when two spellings of one key are set: ordinal order, the last one wins.
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Applies the overrides to the document's root mapping (created when the file is empty).</summary>
    public static YamlMappingNode? Apply(string file, YamlMappingNode? root,
                                         IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        foreach (var (variable, value) in overrides)
        {
            var keys = variable[Prefix.Length..].Split("__");
            if (keys.Any(k => k.Length == 0))
                throw new ConfigException(file, "(environment)", variable,
                    "VTUBER__ followed by conf.yaml keys joined by '__', e.g. VTUBER__system_config__port");
            root ??= new YamlMappingNode();
            var mapping = root;
            for (var i = 0; i < keys.Length - 1; i++)
            {
                var key = Find(mapping, keys[i]);
                if (key is not null && mapping.Children[key] is YamlMappingNode child)
                {
                    mapping = child;
                    continue;
                }
                if (key is not null && !IsNull(mapping.Children[key]))
                    throw new ConfigException(file, string.Join('.', keys.Take(i + 1)), variable,
                        $"a mapping of keys for the override {variable}");
                child = new YamlMappingNode();
                mapping.Children[key ?? new YamlScalarNode(keys[i])] = child;
                mapping = child;
            }
            var last = Find(mapping, keys[^1]) ?? new YamlScalarNode(keys[^1]);
            mapping.Children[last] = new YamlScalarNode(value) { Style = YamlDotNet.Core.ScalarStyle.Plain };
        }
        return root;
    }

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.FirstOrDefault(k =>
            k is YamlScalarNode { Value: { } v } && string.Equals(v, key, StringComparison.OrdinalIgnoreCase));

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
