using Vtuber.Speech.Asr;

/// <summary>
/// The entry of the sherpa-onnx model check process (<see cref="SherpaOnnxProbe"/>). The runtime finds a startup hook
/// by this exact name in no namespace, so this one type breaks the folder-namespace rule. Without the probe variable
/// (someone put this assembly in DOTNET_STARTUP_HOOKS for another reason) it does nothing.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(SherpaOnnxProbe.ConfigVariable) is { Length: > 0 } config)
        {
            Environment.Exit(SherpaOnnxProbe.RunInChild(config));
        }
    }
}
