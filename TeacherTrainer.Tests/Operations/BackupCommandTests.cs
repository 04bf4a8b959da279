using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TeacherTrainer.AppHost.Extensions;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Operations;

/// <summary>
/// The dashboard's "Back up now" command on the API, run as the dashboard runs it (its callback,
/// inside the AppHost's model) against real services given as connection strings.
/// </summary>
public sealed class BackupCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dashboard_command_writes_a_backup_of_the_models_database_and_key_ring()
    {
        var folder = Directory.CreateTempSubdirectory("tt-backup-command-").FullName;
        var database = await TestEnvironment.CreateDatabaseAsync("bcommand");
        try
        {
            var sessions = await TestEnvironment.CreateSessionsDatabaseAsync();
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            [
                "--Infrastructure:Mode=Existing",
                $"--ConnectionStrings:teacherdb={database}",
                $"--ConnectionStrings:cache={TestEnvironment.RedisConnectionString}",
                $"--ConnectionStrings:sessions={sessions}",
                $"--{BackupCommand.DirectoryKey}={folder}",
            ], Ct);
            await using var app = await builder.BuildAsync(Ct);
            var api = Assert.Single(builder.Resources, r => r.Name == "apiservice");
            var command = Assert.Single(api.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == BackupCommand.Name);
            Assert.False(string.IsNullOrWhiteSpace(command.ConfirmationMessage));

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var result = await command.ExecuteCommand(new ExecuteCommandContext
            {
                Services = app.Services, ResourceName = api.Name, CancellationToken = timeout.Token, Logger = NullLogger.Instance,
                Arguments = new InteractionInputCollection([]),
            });

            Assert.True(result.Success, result.Message);
            var file = Assert.Single(Directory.GetFiles(folder, "teachertrainer-*.tar"));
            Assert.Contains(file, result.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await TestEnvironment.DropDatabaseAsync(database);
        }
    }
}
