using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Status;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// System status: anyone learns up or down; administrators see every layer; the checks behind both
/// run at most once every few seconds, one at a time, whoever asks and however often.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StatusTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anyone_gets_the_overall_status_and_nothing_else()
    {
        using var anonymous = api.CreateClient();
        // The raw wire on purpose: nothing beyond these two fields may be sent to anyone.
        var body = await anonymous.GetFromJsonAsync<JsonElement>("/api/status", Ct);

        Assert.Equal(["checkedAt", "status"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "healthy", "degraded", "unhealthy" });
        var status = body.Deserialize<PublicStatus>(JsonSerializerOptions.Web)!;
        Assert.NotEqual(StatusLevel.NotConfigured, status.Status);
    }

    [Fact]
    public async Task An_administrator_gets_every_layer()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var body = (await admin.GetFromJsonAsync<StatusReport>("/api/admin/status", Ct))!;

        var layers = body.Layers.ToDictionary(l => l.Name);
        Assert.Equal(["cache", "chat-model", "database", "embedding-model", "vector-search"], layers.Keys.Order());
        Assert.Equal(StatusLevel.Healthy, layers["database"].Status);
        Assert.Equal("384", layers["embedding-model"].Facts["dimensions"]);
        // The test host runs without a language model: it is absent, not "healthy", and the overall status ignores it.
        Assert.Equal(StatusLevel.NotConfigured, layers["chat-model"].Status);
        Assert.NotEqual(StatusLevel.Unhealthy, body.Status);
    }

    [Fact]
    public async Task Many_callers_at_once_share_one_check_and_later_callers_reuse_it_for_a_few_seconds()
    {
        var monitor = api.Services.GetRequiredService<StatusMonitor>();
        using var anonymous = api.CreateClient();
        // Wait until the report held now (made by any test) has gone stale, so the next caller must check.
        var held = (await anonymous.GetFromJsonAsync<PublicStatus>("/api/status", Ct))!.CheckedAt;
        var stale = held + TimeSpan.FromSeconds(5.2) - DateTimeOffset.UtcNow;
        if (stale > TimeSpan.Zero) await Task.Delay(stale, Ct);
        var before = monitor.Checks;

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => anonymous.GetFromJsonAsync<PublicStatus>("/api/status", Ct)));
        var again = await anonymous.GetFromJsonAsync<PublicStatus>("/api/status", Ct);

        Assert.Equal(1, monitor.Checks - before);
        var times = answers.Append(again).Select(a => a!.CheckedAt).Distinct().ToList();
        Assert.Single(times);
        Assert.True(times[0] > held);
    }

    [Theory]
    [InlineData(typeof(Npgsql.NpgsqlException), "unreachable")]
    [InlineData(typeof(TimeoutException), "timed out")]
    [InlineData(typeof(InvalidOperationException), "failed (see the API log)")]
    public void A_failed_check_reports_a_fixed_reason_never_the_exception_text(Type kind, string reason)
    {
        const string secret = "Host=db.internal;Password=hunter2";
        var exception = (Exception)Activator.CreateInstance(kind, secret)!;

        var reported = StatusService.FailureReason(exception);

        Assert.Equal(reason, reported);
        Assert.DoesNotContain("hunter2", reported);
    }
}
