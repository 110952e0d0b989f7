using Vtuber.Speech.Asr;

namespace Vtuber.Speech.Tests.Asr;

/// <summary>
/// A fact that needs the sherpa-onnx native library (scripts/fetch-sherpa-onnx.sh, which .ci/run runs): skipped with
/// that reason when it is not set up. With <c>modelDirVariable</c>, it also needs a sherpa-onnx model folder, which
/// no registry ships (speech-and-llm-stack.md 2).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SherpaOnnxFactAttribute : FactAttribute
{
    public SherpaOnnxFactAttribute(string? modelDirVariable = null)
    {
        if (SherpaOnnxLibrary.Problem() is { } problem)
        {
            Skip = problem;
        }
        else if (modelDirVariable is not null && !Directory.Exists(Environment.GetEnvironmentVariable(modelDirVariable)))
        {
            Skip = $"needs a sherpa-onnx model: set {modelDirVariable} to its folder (none can be downloaded here)";
        }
    }
}
