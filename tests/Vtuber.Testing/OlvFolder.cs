namespace Vtuber.Testing;

/// <summary>
/// A throw-away folder laid out as an Open-LLM-VTuber checkout: one of OLV's own config templates, unchanged, as
/// conf.yaml, with characters/, model_dict.json and mcp_servers.json beside it (tests/olv-config). No prompts/
/// folder: the server's bundled prompts stand in for OLV's.
/// </summary>
public sealed class OlvFolder : IDisposable
{
    public const string EnglishTemplate = "conf.default.yaml";
    public const string ChineseTemplate = "conf.ZH.default.yaml";

    public static string FixtureDir { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "olv-config");

    private OlvFolder(string root) => Root = root;

    public string Root { get; }
    public string ConfigPath => System.IO.Path.Combine(Root, "conf.yaml");

    public static OlvFolder Create(string template)
    {
        var root = Directory.CreateTempSubdirectory("vtuber-olv-").FullName;
        File.Copy(System.IO.Path.Combine(FixtureDir, template), System.IO.Path.Combine(root, "conf.yaml"));
        File.Copy(System.IO.Path.Combine(FixtureDir, "model_dict.json"), System.IO.Path.Combine(root, "model_dict.json"));
        File.Copy(System.IO.Path.Combine(FixtureDir, "mcp_servers.json"), System.IO.Path.Combine(root, "mcp_servers.json"));
        var characters = Directory.CreateDirectory(System.IO.Path.Combine(root, "characters")).FullName;
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(FixtureDir, "characters")))
            File.Copy(file, System.IO.Path.Combine(characters, System.IO.Path.GetFileName(file)));
        return new OlvFolder(root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a server that was just stopped may still hold its journal for a moment; the temp folder is reclaimed later
        }
    }
}
