namespace Comms.DevHost.Local;

/// <summary>
/// The clone the dev host runs from (the folder holding Comms.sln), so local files land in the same place
/// whatever the working folder: `dotnet run --project src/Comms.DevHost` runs the app in the project folder,
/// where a relative "outbox" would put patron emails inside the source tree.
/// </summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding Comms.sln above the working folder or the binary; null outside a clone.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Comms.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>A relative path taken from the repository root (outside a clone, the working folder); absolute paths stay.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Find() ?? Environment.CurrentDirectory, path));
}
