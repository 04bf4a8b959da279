using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;
using TeacherTrainer.Web.Extensions;
using TeacherTrainer.Web.Services.Security;

namespace TeacherTrainer.Tests.Operations;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh against the real PostgreSQL (pgvector) and the real
/// sessions Redis: a system with practice in it is backed up, dropped, restored into an empty
/// database, and the API started on the restored one answers as the original did.
/// </summary>
public sealed class BackupRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string KeyEncryptionKey = TestEnvironment.NewSecretKey();

    [Fact]
    public async Task A_restored_backup_gives_back_every_session_judgement_override_authored_scenario_collection_and_sign_in_key()
    {
        var folder = Directory.CreateTempSubdirectory("tt-backup-").FullName;
        try
        {
            // A system with real practice in it.
            var original = ApiFactory.Create(ApiOptions.WithoutWarmUp(ApiOptions.Default));
            await original.InitializeAsync();
            var originalSessions = await TestEnvironment.CreateSessionsDatabaseAsync();
            var instructor = await original.CreateUserWithoutPasswordAsync(Roles.Instructor, "Ms Okafor");
            var trainee = await original.CreateUserWithoutPasswordAsync(Roles.Trainee, "Ada Trainee");
            string draft, collection, ticket;
            Guid assignedSession, turnId;
            Snapshot before;
            await using (var scope = original.CreateScope())
            {
                var db = original.Db(scope);
                var cohort = await TestData.AddCohortAsync(db, instructor.Id, trainee.Id);
                var assignment = await TestData.AddAssignmentAsync(db, cohort.Id, instructor.Id);
                var session = await TestData.AddSessionAsync(db, trainee.Id, assignment.Id, turns: 3);
                (assignedSession, turnId) = (session.Id, session.Turns[1].Id);
                collection = await TestData.AddCollectionAsync(db, instructor.Id, cohort.Id);
                (draft, _) = await TestData.AddAuthoredScenarioAsync(scope.ServiceProvider, instructor.Id);
            }
            using (var instructorClient = await original.CreateClientForAsync(instructor.Id))
            using (var traineeClient = await original.CreateClientForAsync(trainee.Id))
            {
                // A session practised through the API: turns judged by the engine, persona replies.
                var started = await SessionApi.StartSessionAsync(traineeClient, await SlugAsync(original));
                var practised = started.Id;
                await SessionApi.TakeTurnAsync(traineeClient, practised, "I can see you're upset. What happened?");
                await SessionApi.TakeTurnAsync(traineeClient, practised, "So you're worried it will get broken if you put it away?");
                var overridden = await instructorClient.PutAsJsonAsync($"/api/review/turns/{turnId}/scores/{TestData.CriterionKey}",
                    new { score = 85, reason = "Named the worry before moving on." }, Ct);
                Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
                before = await SnapshotAsync(traineeClient, instructorClient, [assignedSession, practised], assignedSession, draft, collection);
                Assert.Equal(2, before.SessionIds.Count);
            }
            ticket = KeyRingHost(originalSessions).Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("backup-test").Protect("a sign-in ticket");

            var backup = await BackupScripts.BackupAsync(original.DatabaseConnectionString, originalSessions, folder);
            Assert.True(backup.ExitCode == 0, backup.Output);
            var file = backup.LastLine;
            // The manifest names the schema's last migration (what an upgrade after the restore starts from).
            Assert.Matches(@"last migration \d{14}_\w+", backup.Output);
            Assert.Matches(@"teachertrainer-\d{8}T\d{6}Z\.tar$", file);
            Assert.True(File.Exists(file), backup.Output);
            // Personal data and password hashes: readable by its owner only (the scripts run on Linux).
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

            // The original is gone: the database dropped, the key ring's Redis emptied.
            await original.DisposeAsync();
            await TestEnvironment.EmptyRedisDatabaseAsync(originalSessions);

            var empty = await TestEnvironment.CreateDatabaseAsync("restored");
            var restoredSessions = await TestEnvironment.CreateSessionsDatabaseAsync();
            var restore = await BackupScripts.RestoreAsync(file, empty, restoredSessions);
            Assert.True(restore.ExitCode == 0, restore.Output);

            await using var restored = ApiFactory.Create(ApiOptions.WithoutWarmUp(ApiOptions.Default with { Database = empty }));
            await restored.InitializeAsync();
            using (var instructorClient = await restored.CreateClientForAsync(instructor.Id))
            using (var traineeClient = await restored.CreateClientForAsync(trainee.Id))
            {
                var after = await SnapshotAsync(traineeClient, instructorClient, before.SessionIds, assignedSession, draft, collection);
                Assert.Equal(before.SessionList, after.SessionList);
                Assert.Equal(before.Sessions, after.Sessions);
                Assert.Equal(before.Overrides, after.Overrides);
                Assert.Equal(before.Draft, after.Draft);
                Assert.Equal(before.Collection, after.Collection);
                Assert.Contains("Named the worry before moving on.", after.Overrides);

                // Vector search works on the restored rows: by meaning in the catalog, and against the collection.
                var found = (await traineeClient.GetFromJsonAsync<ScenarioList>("/api/scenarios?q=a child refuses to tidy up", Ct))!;
                Assert.True(found.Items[0].Similarity > 0.2, string.Join(", ", found.Items.Select(i => $"{i.Slug} {i.Similarity}")));
                var judged = await traineeClient.PostAsJsonAsync("/api/evaluations",
                    new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", collection }, Ct);
                Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
                Assert.Equal("collection", (await judged.Content.ReadFromJsonAsync<Judgement>(Ct))!.Basis);
            }
            // The HNSW indexes are there, rebuilt by the restore.
            Assert.Equal(4, await ScalarAsync<long>(empty, "select count(*) from pg_indexes where schemaname = 'public' and indexdef like '%USING hnsw%'"));

            // A sign-in ticket issued before the backup opens with the restored key ring (and the same key-encryption key).
            Assert.Equal("a sign-in ticket", KeyRingHost(restoredSessions).Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("backup-test").Unprotect(ticket));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_database_that_is_not_empty_and_leaves_it_as_it_was()
    {
        var folder = Directory.CreateTempSubdirectory("tt-backup-").FullName;
        var source = await TestEnvironment.CreateDatabaseAsync("bsource");
        var target = await TestEnvironment.CreateDatabaseAsync("btarget");
        try
        {
            await ExecuteAsync(source, "create table note (text text); insert into note values ('from the backup')");
            await ExecuteAsync(target, "create table note (text text); insert into note values ('already here')");
            var sessions = await TestEnvironment.CreateSessionsDatabaseAsync();
            var backup = await BackupScripts.BackupAsync(source, sessions, folder);
            Assert.True(backup.ExitCode == 0, backup.Output);

            var restore = await BackupScripts.RestoreAsync(backup.LastLine, target, sessions);

            Assert.NotEqual(0, restore.ExitCode);
            Assert.Contains("empty database", restore.Output);
            Assert.Equal("already here", await ScalarAsync<string>(target, "select string_agg(text, ',') from note"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await TestEnvironment.DropDatabaseAsync(source);
            await TestEnvironment.DropDatabaseAsync(target);
        }
    }

    private sealed record Snapshot(IReadOnlyList<Guid> SessionIds, string SessionList, IReadOnlyList<string> Sessions, string Overrides, string Draft, string Collection);

    /// <summary>What the trainee and instructor read through the API: compared whole before and after.</summary>
    private static async Task<Snapshot> SnapshotAsync(HttpClient trainee, HttpClient instructor, IReadOnlyList<Guid> sessionIds, Guid reviewed, string draft, string collection)
    {
        var list = await trainee.GetStringAsync("/api/sessions", Ct);
        // The list is kept as its raw text (compared whole); its ids read through the contract.
        var ids = JsonSerializer.Deserialize<List<SessionListItem>>(list, JsonSerializerOptions.Web)!.Select(s => s.Id).ToList();
        Assert.Equal(sessionIds.Order(), ids.Order());
        var sessions = new List<string>();
        foreach (var id in ids)
        {
            sessions.Add(await trainee.GetStringAsync($"/api/sessions/{id}", Ct));
            // The practised session is not an assignment's: its review is the trainee's alone (404 for the instructor) after the restore too.
            sessions.Add(await ReadAsync(instructor, $"/api/review/sessions/{id}"));
        }
        return new Snapshot(ids, list, sessions,
            await instructor.GetStringAsync($"/api/review/sessions/{reviewed}/overrides", Ct),
            await instructor.GetStringAsync($"/api/scenarios/{draft}/document", Ct),
            await instructor.GetStringAsync($"/api/collections/{collection}", Ct));
    }

    private static async Task<string> ReadAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        // A refusal's body carries a trace id of its own: its status is what must match.
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(Ct) : $"{(int)response.StatusCode}";
    }

    private static async Task<string> SlugAsync(ApiFactory api)
    {
        await using var scope = api.CreateScope();
        return await TestData.AnyScenarioSlugAsync(api.Db(scope));
    }

    /// <summary>The web's data protection on this sessions Redis, as each web replica sets it up.</summary>
    private static IHost KeyRingHost(string sessions)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["ConnectionStrings:sessions"] = sessions;
        builder.Configuration[KeyRingEncryption.ConfigurationKey] = KeyEncryptionKey;
        builder.AddSharedDataProtection();
        return builder.Build();
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
