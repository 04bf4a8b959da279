using System.Diagnostics;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>Runs scripts/backup.sh and scripts/restore.sh as an operator would, against the given database and sessions Redis.</summary>
public static class BackupScripts
{
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>backup.sh prints the file it wrote on its last line.</summary>
        public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    public static Task<Result> BackupAsync(string database, string sessions, string folder)
        => RunAsync("backup.sh", [folder], database, sessions);

    public static Task<Result> RestoreAsync(string file, string database, string sessions)
        => RunAsync("restore.sh", [file], database, sessions);

    private static async Task<Result> RunAsync(string script, string[] arguments, string database, string sessions)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestEnvironment.RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(TestEnvironment.RepositoryRoot, "scripts", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__teacherdb"] = database;
        start.Environment["ConnectionStrings__sessions"] = sessions;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stderr + await stdout);
    }
}
