namespace Comms.Infra.Tests.Infrastructure;

/// <summary>Finds files by their repository path, so the tests read the sources, not copies in bin/.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Path => Root.Value;

    public static string File(params string[] segments) =>
        System.IO.Path.Combine([Path, .. segments]);

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Comms.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Comms.sln above {AppContext.BaseDirectory}.");
    }
}
