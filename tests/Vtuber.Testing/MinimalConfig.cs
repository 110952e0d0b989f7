namespace Vtuber.Testing;

/// <summary>The smallest valid character_config (an OpenAI-compatible LLM), for config tests that vary the rest.</summary>
public static class MinimalConfig
{
    public const string Character = """
        character_config:
          conf_name: 'test'
          conf_uid: 'test_001'
          live2d_model_name: 'mao_pro'
          persona_prompt: 'You are a test.'
          agent_config:
            agent_settings:
              basic_memory_agent:
                llm_provider: 'openai_compatible_llm'
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                model: 'qwen2.5:latest'
        """;
}
