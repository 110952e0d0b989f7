using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Config;

public sealed class ModelDictionaryTests : IDisposable
{
    // Odd spacing and fields we do not model on purpose: the frontend must receive them untouched.
    private const string TwoModels = """
        [
          { "name":   "shizuku",
            "url": "/live2d-models/shizuku/shizuku.model.json", "kScale": 0.000625,
            "emotionMap": { "Joy": 3, "SAD": "f02", "neutral": 0 },
            "defaultEmotion": "f01", "pointerInteractive": false,
            "tapMotions": { "body": { "tap_body": 30, "shake": 30 } } },
          {"name":"mao_pro","emotionMap":{"joy":3},"tapMotions":{"HitAreaHead":{"":1}}}
        ]
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Entries_keep_their_exact_json_text()
    {
        var models = ModelDictionary.Load(_folder.Write("model_dict.json", TwoModels));

        Assert.Equal(["shizuku", "mao_pro"], models.Select(m => m.Name));
        var expected = JsonDocument.Parse(TwoModels).RootElement;
        for (var i = 0; i < models.Count; i++)
        {
            Assert.Contains(models[i].RawJson, TwoModels, StringComparison.Ordinal);
            Assert.True(JsonElement.DeepEquals(expected[i], JsonDocument.Parse(models[i].RawJson).RootElement));
        }
        Assert.StartsWith("{ \"name\":   \"shizuku\"", models[0].RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Emotion_keys_are_lower_cased_and_values_are_indexes_or_names()
    {
        var shizuku = ModelDictionary.Load(_folder.Write("model_dict.json", TwoModels))[0];

        Assert.Equal(
            new Dictionary<string, Expression>
            {
                ["joy"] = Expression.Of(3), ["sad"] = Expression.Of("f02"), ["neutral"] = Expression.Of(0),
            },
            shizuku.EmotionMap);
    }

    [Fact]
    public void Find_returns_the_named_model()
    {
        var models = ModelDictionary.Load(_folder.Write("model_dict.json", TwoModels));

        Assert.Same(models[1], ModelDictionary.Find(models, "mao_pro", "conf.yaml"));
    }

    [Fact]
    public void Missing_model_names_the_config_key_and_the_models_available()
    {
        var models = ModelDictionary.Load(_folder.Write("model_dict.json", TwoModels));

        var error = Assert.Throws<ConfigException>(() => ModelDictionary.Find(models, "hiyori", "/cfg/conf.yaml"));

        Assert.Equal(("/cfg/conf.yaml", "character_config.live2d_model_name", "hiyori"),
            (error.File, error.KeyPath, error.Value));
        Assert.Contains("shizuku, mao_pro", error.Expected);
    }

    [Theory]
    [InlineData("""[{"name":"a"}]""", "[0].emotionMap")]
    [InlineData("""[{"name":"a","emotionMap":{"joy":[1]}}]""", "[0].emotionMap.joy")]
    [InlineData("""[{"emotionMap":{}}]""", "[0].name")]
    [InlineData("""[{"name":"a","emotionMap":{}}, 5]""", "[1]")]
    [InlineData("""{"name":"a"}""", "(document)")]
    public void Malformed_entries_are_reported_by_position(string json, string keyPath)
    {
        var file = _folder.Write("model_dict.json", json);

        var error = Assert.Throws<ConfigException>(() => ModelDictionary.Load(file));

        Assert.Equal((file, keyPath), (error.File, error.KeyPath));
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        var file = _folder.Write("model_dict.json", "[\n  {\"name\": \"a\",,}\n]");

        var error = Assert.Throws<ConfigException>(() => ModelDictionary.Load(file));

        Assert.StartsWith("(line 2,", error.KeyPath);
    }
}
