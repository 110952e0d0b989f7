using System.Text.Json;
using Vtuber.Domain.Live2d;
using Vtuber.Domain.Text;

namespace Vtuber.Domain.Config;

/// <summary>
/// model_dict.json: a JSON array of Live2D model entries. Each entry keeps its exact text because
/// set-model-and-conf sends it to the frontend as is, including fields we do not model.
/// </summary>
public static class ModelDictionary
{
    public static IReadOnlyList<Live2dModelInfo> Load(string path)
    {
        var file = Path.GetFullPath(path);
        var text = ConfigText.Read(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ConfigException(file, $"(line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})",
                null, $"valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new ConfigException(file, "(document)", document.RootElement.ValueKind.ToString(),
                    "a JSON array of model entries");
            return document.RootElement.EnumerateArray().Select((entry, i) => ReadEntry(file, $"[{i}]", entry))
                .ToList();
        }
    }

    public static Live2dModelInfo Find(IReadOnlyList<Live2dModelInfo> models, string name, string configFile) =>
        models.FirstOrDefault(m => m.Name == name)
        ?? throw new ConfigException(configFile, "character_config.live2d_model_name", name,
            "one of the models in model_dict.json: " +
            (models.Count == 0 ? "(none)" : string.Join(", ", models.Select(m => m.Name))));

    private static Live2dModelInfo ReadEntry(string file, string path, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw new ConfigException(file, path, entry.GetRawText(), "a model entry object");
        if (!entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String ||
            string.IsNullOrEmpty(name.GetString()))
            throw new ConfigException(file, path + ".name", null, "the model's name");

        // OLV cannot start a conversation without emotionMap, so its absence is reported here rather than later.
        if (!entry.TryGetProperty("emotionMap", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new ConfigException(file, path + ".emotionMap", null,
                "an object mapping emotion keywords to expression indexes or names");

        // Keys are lower-cased as OLV does before matching [tags]; a later duplicate wins, as in a Python dict.
        var emotions = new Dictionary<string, Expression>(StringComparer.Ordinal);
        foreach (var emotion in map.EnumerateObject())
        {
            emotions[emotion.Name.ToLowerInvariant()] = emotion.Value.ValueKind switch
            {
                JsonValueKind.Number when emotion.Value.TryGetInt32(out var index) => Expression.Of(index),
                JsonValueKind.String => Expression.Of(emotion.Value.GetString()!),
                _ => throw new ConfigException(file, $"{path}.emotionMap.{emotion.Name}",
                    emotion.Value.GetRawText(), "an expression index (integer) or expression name (string)"),
            };
        }
        return new Live2dModelInfo(name.GetString()!, entry.GetRawText(), emotions);
    }
}
