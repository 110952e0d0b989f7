namespace Vtuber.Testing;

/// <summary>The checkout the tests and benches run from (the folder holding Vtuber.Akka.sln), for shipped files.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Vtuber.Akka.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Vtuber.Akka.sln not found above " + AppContext.BaseDirectory);
    }
}
