using Vtuber.Agents;

namespace Vtuber.Agents.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; the llama_cpp_llm tests start this assembly as
/// the model-check child process (LlamaModelCheck.ForAssembly), as the server does with its own executable.
/// </summary>
public static class Program
{
    public static int Main(string[] args) =>
        LlamaModelCheck.IsChildInvocation(args) ? LlamaModelCheck.RunChild(args) : 2;
}
