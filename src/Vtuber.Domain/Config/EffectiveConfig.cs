using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vtuber.Domain.Config;

/// <summary>
/// The effective config (file + environment overrides + defaults) as a JSON tree with conf.yaml-style snake_case
/// names, built by walking the config records so new sections appear without code here. With secrets masked it is
/// what operators see (HTTP API, logs); unmasked it gives a structural equality for config sections, which
/// records alone do not (their lists and dictionaries compare by reference).
/// </summary>
public static class EffectiveConfig
{
    public static JsonObject ToJson(VtuberConfig config) => (JsonObject)Walk(config, "", maskSecrets: true)!;

    /// <summary>Any config record or value as JSON, secrets masked or not.</summary>
    public static JsonNode? ToJson(object? section, bool maskSecrets) => Walk(section, "", maskSecrets);

    /// <summary>Structural equality of two config sections (records, lists, dictionaries, scalars).</summary>
    public static bool Same(object? a, object? b) =>
        ReferenceEquals(a, b) || JsonNode.DeepEquals(Walk(a, "", false), Walk(b, "", false));

    private static JsonNode? Walk(object? value, string key, bool maskSecrets)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return JsonValue.Create(maskSecrets ? ConfigSecrets.Shown(key, s) : s);
            case bool or int or long or double or float or decimal:
                if (maskSecrets && ConfigSecrets.IsSecret(key)) return JsonValue.Create(ConfigSecrets.Mask);
                return JsonSerializer.SerializeToNode(value, value.GetType());
            case Enum or Uri or TimeSpan:
                return Walk(Convert.ToString(value, CultureInfo.InvariantCulture), key, maskSecrets);
            case IEnumerable<KeyValuePair<string, string>> pairs: // ordered mappings such as tool_prompts
                return Mapping(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), maskSecrets);
            case IDictionary dictionary:
                return Mapping(Entries(dictionary), maskSecrets);
            case IEnumerable list:
                return new JsonArray(list.Cast<object?>().Select(item => Walk(item, key, maskSecrets)).ToArray());
            default:
                var properties = value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");
                return Mapping(properties.Select(p => new KeyValuePair<string, object?>(
                    JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p.GetValue(value))), maskSecrets);
        }
    }

    // IDictionary's own enumerator yields DictionaryEntry whatever the generic type (IEnumerable's yields pairs).
    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            yield return new(Convert.ToString(entries.Key, CultureInfo.InvariantCulture)!, entries.Value);
        }
    }

    private static JsonObject Mapping(IEnumerable<KeyValuePair<string, object?>> entries, bool maskSecrets)
    {
        var json = new JsonObject();
        foreach (var (name, value) in entries)
        {
            json[name] = Walk(value, name, maskSecrets);
        }
        return json;
    }
}
