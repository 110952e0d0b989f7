using System.Diagnostics;

namespace Vtuber.Agents.Tests.Llama;

/// <summary>Generates the tiny GGUF models with make_tiny_gguf.py (python3, standard library) into a temp folder.</summary>
public sealed class TinyGguf : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vtuber-gguf-").FullName;

    public TinyGguf()
    {
        Good = Generate("tiny.gguf");
        DuplicatePieces = Generate("duplicate-pieces.gguf", "--duplicate-pieces");
        NotAModel = Path.Combine(_folder, "notes.gguf");
        File.WriteAllText(NotAModel, "this is not a GGUF file\n");
    }

    public string Good { get; }
    public string DuplicatePieces { get; }
    public string NotAModel { get; }

    /// <summary>The model-check child: this test assembly run through its own Main.</summary>
    public static LlamaModelCheck Check => LlamaModelCheck.ForAssembly(typeof(TinyGguf).Assembly.Location);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Generate(string name, params string[] flags)
    {
        var output = Path.Combine(_folder, name);
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Llama", "make_tiny_gguf.py"));
        start.ArgumentList.Add(output);
        foreach (var flag in flags)
        {
            start.ArgumentList.Add(flag);
        }
        using var python = Process.Start(start)!;
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"make_tiny_gguf.py failed: {errors}");
        }
        return output;
    }
}
