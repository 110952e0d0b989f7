namespace Vtuber.Bench;

/// <summary>A temp conf.yaml using the repo's model_dict and prompts, pointing at the fakes.</summary>
public static class BenchFolder
{
    public static string Create(Uri llm, Uri tts)
    {
        var repo = Vtuber.Testing.RepositoryRoot.Path;
        var root = Directory.CreateTempSubdirectory("vtuber-bench-").FullName;
        var path = Path.Combine(root, "conf.yaml");
        File.WriteAllText(path, $"""
            system_config:
              host: '127.0.0.1'
              port: 0
              model_dict_path: '{Path.Combine(repo, "config", "model_dict.json")}'
              prompts_dir: '{Path.Combine(repo, "config", "prompts")}'
              config_alts_dir: '{Path.Combine(repo, "config", "characters")}'
              tool_prompts:
                live2d_expression_prompt: 'live2d_expression_prompt'
            character_config:
              conf_name: 'mao_pro'
              conf_uid: 'mao_pro_001'
              live2d_model_name: 'mao_pro'
              character_name: 'Mao'
              avatar: 'mao.png'
              persona_prompt: 'You are Mao.'
              agent_config:
                agent_settings:
                  basic_memory_agent:
                    llm_provider: 'openai_compatible_llm'
                llm_configs:
                  openai_compatible_llm:
                    base_url: '{llm}'
                    llm_api_key: 'bench'
                    model: 'bench'
              tts_config:
                tts_model: 'openai_tts'
                openai_tts:
                  base_url: '{tts}'
                  file_extension: 'wav'
            """);
        return path;
    }

}
