using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.AppHost.Extensions;

public static class BackupCommand
{
    public const string Name = "backup";

    /// <summary>Where the dashboard's backups go (default: <c>backups/</c> beside the solution).</summary>
    public const string DirectoryKey = "Backup:Directory";

    /// <summary>
    /// A dashboard button on the API that runs scripts/backup.sh against the database and the
    /// sessions Redis this model gives the API and the web: the same one file an operator's
    /// scheduled backup writes (docs/operations.md). Only whoever can sign in to the dashboard (its
    /// login token, printed to the one who started the AppHost) sees it: the operator.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBackupCommand(
        this IResourceBuilder<ProjectResource> api, TeacherTrainerInfrastructure infrastructure)
    {
        var builder = api.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode) return api;
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var folder = builder.Configuration[DirectoryKey] is { Length: > 0 } configured ? Path.GetFullPath(configured) : Path.Combine(root, "backups");
        return api.WithCommand(Name, "Back up now", context => RunAsync(context, root, folder, infrastructure), new CommandOptions
        {
            Description = $"Backs up the database and the web's data-protection keys to one file in {folder} (scripts/backup.sh).",
            IconName = "DatabaseArrowDown",
            ConfirmationMessage = $"Back up the database and the sign-in keys to {folder}? The file holds personal data: keep it as safe as the database.",
        });
    }

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, string root, string folder, TeacherTrainerInfrastructure infrastructure)
    {
        var logger = context.Logger;
        var database = await infrastructure.Database.Resource.GetConnectionStringAsync(context.CancellationToken).ConfigureAwait(false);
        var sessions = await infrastructure.Sessions.Resource.GetConnectionStringAsync(context.CancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "backup.sh"));
        start.ArgumentList.Add(folder);
        start.Environment["ConnectionStrings__teacherdb"] = database;
        start.Environment["ConnectionStrings__sessions"] = sessions;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(context.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(context.CancellationToken);
        await process.WaitForExitAsync(context.CancellationToken).ConfigureAwait(false);
        var lines = ((await errors.ConfigureAwait(false)) + (await output.ConfigureAwait(false)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The script's progress goes to the API's console log on the dashboard; it never prints a secret.
        foreach (var line in lines) logger.LogInformation("{BackupOutput}", line);
        var last = lines.Length > 0 ? lines[^1] : "no output";
        if (process.ExitCode != 0)
        {
            logger.LogError("Backup failed (exit code {ExitCode}): {Reason}", process.ExitCode, last);
            return CommandResults.Failure($"Backup failed: {last}");
        }
        logger.LogInformation("Backup written to {File}", last);
        return CommandResults.Success($"Backed up to {last}");
    }
}
