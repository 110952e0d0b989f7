namespace Vtuber.Server.Tests.Support;

/// <summary>A throw-away OLV-style folder: conf.yaml, model_dict.json, prompts, characters, backgrounds, avatars.</summary>
public sealed class ServerFolder
{
    private ServerFolder(string root) => Root = root;

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "conf.yaml");
    public string JournalPath => Path.Combine(Root, "data", "vtuber.db");

    public static string RepoRoot { get; } = Vtuber.Testing.RepositoryRoot.Path;

    /// <param name="llmProvider">
    /// Another provider: its key (for llm_provider) and its llm_configs block (the lines under the key, unindented),
    /// added next to openai_compatible_llm.
    /// </param>
    public static ServerFolder Create(Uri llmBaseUrl, Uri ttsBaseUrl, string? extraSystemYaml = null,
        string ttsModel = "openai_tts", double playbackTimeoutSeconds = 10, string? extraCharacterYaml = null,
        string llmApiKey = "test-key", string ttsApiKey = "tts-key", (string Key, string Block)? llmProvider = null)
    {
        var providerKey = llmProvider?.Key ?? "openai_compatible_llm";
        var providerBlock = llmProvider is { } extra
            ? $"{extra.Key}:\n" + string.Join("\n", extra.Block.Split('\n').Select(line => "        " + line))
            : "";
        var root = Directory.CreateTempSubdirectory("vtuber-server-").FullName;
        File.Copy(Path.Combine(RepoRoot, "config", "model_dict.json"), Path.Combine(root, "model_dict.json"));
        AddSecondModel(Path.Combine(root, "model_dict.json"));
        CopyDirectory(Path.Combine(RepoRoot, "config", "prompts"), Path.Combine(root, "prompts"));
        CopyDirectory(Path.Combine(RepoRoot, "config", "characters"), Path.Combine(root, "characters"));
        Directory.CreateDirectory(Path.Combine(root, "backgrounds", "night"));
        File.WriteAllBytes(Path.Combine(root, "backgrounds", "cityscape.jpeg"), [0xFF, 0xD8, 0xFF]);
        File.WriteAllBytes(Path.Combine(root, "backgrounds", "night", "moon.png"), [0x89, 0x50, 0x4E, 0x47]);
        File.WriteAllText(Path.Combine(root, "backgrounds", "notes.txt"), "not an image");
        Directory.CreateDirectory(Path.Combine(root, "avatars"));
        File.WriteAllBytes(Path.Combine(root, "avatars", "mao.png"), [0x89, 0x50, 0x4E, 0x47]);
        File.WriteAllText(Path.Combine(root, "avatars", "secret.txt"), "secret");
        Directory.CreateDirectory(Path.Combine(root, "live2d-models", "mao_pro", "runtime"));
        File.WriteAllText(Path.Combine(root, "live2d-models", "mao_pro", "runtime", "mao_pro.model3.json"), """{"Version":3}""");
        File.WriteAllBytes(Path.Combine(root, "live2d-models", "mao_pro", "runtime", "mao_pro.moc3"), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(root, "conf.yaml"), $"""
            system_config:
              conf_version: 'v1.2.1'
              host: '127.0.0.1'
              port: 0
              config_alts_dir: 'characters'
              tool_prompts:
                live2d_expression_prompt: 'live2d_expression_prompt'
                proactive_speak_prompt: 'proactive_speak_prompt'
              turn:
                playback_complete_timeout_seconds: {playbackTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}
                tts_parallelism: 3
            {extraSystemYaml ?? ""}
            character_config:
              conf_name: 'mao_pro'
              conf_uid: 'mao_pro_001'
              live2d_model_name: 'mao_pro'
              character_name: 'Mao'
              avatar: 'mao.png'
              human_name: 'Human'
              persona_prompt: 'You are Mao, a cheerful test character.'
              agent_config:
                conversation_agent_choice: 'basic_memory_agent'
                agent_settings:
                  basic_memory_agent:
                    llm_provider: '{providerKey}'
                    faster_first_response: true
                    segment_method: 'pysbd'
                llm_configs:
                  openai_compatible_llm:
                    base_url: '{llmBaseUrl}'
                    llm_api_key: '{llmApiKey}'
                    model: 'fake-model'
                    temperature: 0.7
                    interrupt_method: 'user'
                  {providerBlock}
              tts_config:
                tts_model: '{ttsModel}'
                openai_tts:
                  base_url: '{ttsBaseUrl}'
                  api_key: '{ttsApiKey}'
                  model: 'fake-tts'
                  voice: 'alloy'
                  file_extension: 'wav'
              tts_preprocessor_config:
                remove_special_char: true
                ignore_brackets: true
                ignore_parentheses: true
                ignore_asterisks: true
                ignore_angle_brackets: true
            {extraCharacterYaml ?? ""}
            """);
        return new ServerFolder(root);
    }

    /// <summary>A second model_dict.json entry, so a config can change live2d_model_name (hot reload tests).</summary>
    public const string SecondModel = "hiyori_test";

    private static void AddSecondModel(string modelDict)
    {
        var models = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelDict))!.AsArray();
        models.Add(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = SecondModel,
            ["url"] = "/live2d-models/hiyori/hiyori.model3.json",
            ["kScale"] = 0.4,
            ["emotionMap"] = new System.Text.Json.Nodes.JsonObject { ["neutral"] = 0, ["happy"] = 1 },
        });
        File.WriteAllText(modelDict, models.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Rewrites conf.yaml in one write with texts replaced (hot reload tests); each must be there.</summary>
    public void EditConfig(params (string Old, string New)[] replacements)
    {
        var text = File.ReadAllText(ConfigPath);
        foreach (var (oldText, newText) in replacements)
        {
            if (!text.Contains(oldText, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"conf.yaml has no '{oldText}'");
            }
            text = text.Replace(oldText, newText, StringComparison.Ordinal);
        }
        File.WriteAllText(ConfigPath, text);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

}
