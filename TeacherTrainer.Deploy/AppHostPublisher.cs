using System.Diagnostics;

namespace TeacherTrainer.Deploy;

/// <summary>Runs the AppHost's manifest publisher in containers mode: the model with every backing service in it.</summary>
public static class AppHostPublisher
{
    /// <summary>
    /// Runs <paramref name="command"/> (the AppHost, by <c>dotnet run</c> or its built assembly) with
    /// <c>--publisher manifest --output-path</c> and returns the manifest. Connection strings of the
    /// calling shell are removed: given, they would switch the AppHost to existing-services mode.
    /// </summary>
    public static async Task<AspireManifest> PublishAsync(
        IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var output = Path.Combine(Path.GetTempPath(), $"teachertrainer-manifest-{Guid.NewGuid():N}", "aspire-manifest.json");
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var argument in new[] { "--publisher", "manifest", "--output-path", output }) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["Infrastructure__Mode"] = "Containers";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"The AppHost's manifest publisher failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        try
        {
            return AspireManifest.Load(output);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    /// <summary>The repository root (the directory holding TeacherTrainer.sln) at or above <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TeacherTrainer.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No TeacherTrainer.sln at or above {start}.");
    }
}
