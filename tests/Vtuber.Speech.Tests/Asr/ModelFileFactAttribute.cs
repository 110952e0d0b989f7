namespace Vtuber.Speech.Tests.Asr;

/// <summary>
/// A fact that needs a model file no registry ships (speech-and-llm-stack.md 2): it runs when the environment
/// variable names an existing file and is reported as skipped, with that reason, otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModelFileFactAttribute : FactAttribute
{
    public ModelFileFactAttribute(string environmentVariable)
    {
        var path = Environment.GetEnvironmentVariable(environmentVariable);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            Skip = $"needs a model file: set {environmentVariable} to its path (none can be downloaded here)";
        }
    }
}
