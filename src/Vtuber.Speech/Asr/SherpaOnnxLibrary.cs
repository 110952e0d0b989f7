using System.Reflection;
using System.Runtime.InteropServices;

namespace Vtuber.Speech.Asr;

/// <summary>
/// Where the sherpa-onnx native libraries live and how they are loaded. They are not part of the build: the set-up
/// step <see cref="SetUpCommand"/> fetches them from npm into native/sherpa-onnx/. They must stay in a folder of their
/// own, loaded by full path through a DllImport resolver: sherpa's libonnxruntime.so (ORT 1.28.2, found through the
/// C API library's RPATH $ORIGIN) has the same file name as the ONNX Runtime the VAD uses, and a shared output folder
/// would let one overwrite the other.
/// </summary>
public static class SherpaOnnxLibrary
{
    public const string FolderVariable = "VTUBER_SHERPA_ONNX_DIR";
    public const string SetUpCommand = "scripts/fetch-sherpa-onnx.sh";
    public const string FileName = "libsherpa-onnx-c-api.so";
    private const string DefaultFolder = "native/sherpa-onnx";

    /// <summary>
    /// The folder holding <see cref="FileName"/>: $VTUBER_SHERPA_ONNX_DIR when set, otherwise native/sherpa-onnx next
    /// to the binaries or in the nearest folder above them that has one (the repository root, where the set-up
    /// script puts it, for <c>dotnet run</c> and the tests). Null when none is found.
    /// </summary>
    public static string? Folder { get; } = FindFolder();

    /// <summary>Why the library cannot be loaded (not set up), or null when its file is there.</summary>
    public static string? Problem() => Folder is not null ? null
        : Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured
            ? $"{FileName} is not in {configured} (set by {FolderVariable}); run {SetUpCommand} to fetch sherpa-onnx " +
              "1.13.8 from npm, or point the variable at the folder that holds it"
            : $"the sherpa-onnx native library is not set up: run {SetUpCommand} (fetches sherpa-onnx 1.13.8 from npm " +
              $"into {DefaultFolder}/), or set {FolderVariable} to the folder that holds {FileName}";

    /// <summary>The library's own version, e.g. "1.13.8 (git 11afbd00)"; loads it on first use.</summary>
    public static string Version()
    {
        RequireSetUp();
        return $"{Marshal.PtrToStringUTF8(SherpaOnnxNative.GetVersionStr())} (git {Marshal.PtrToStringUTF8(SherpaOnnxNative.GetGitSha1())})";
    }

    internal static void RequireSetUp()
    {
        if (Problem() is { } problem)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx, problem);
        }
    }

    /// <summary>Called once, by the static constructor of the P/Invoke class (a second resolver would throw).</summary>
    internal static void InstallResolver(Assembly assembly) =>
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) =>
            name == SherpaOnnxNative.Library && Folder is { } folder
                ? NativeLibrary.Load(Path.Combine(folder, FileName))
                : IntPtr.Zero); // everything else (pocketsphinx) resolves as usual

    private static string? FindFolder()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, FileName)) ? Path.GetFullPath(configured) : null;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, DefaultFolder);
            if (File.Exists(Path.Combine(candidate, FileName)))
            {
                return candidate;
            }
        }
        return null;
    }
}
