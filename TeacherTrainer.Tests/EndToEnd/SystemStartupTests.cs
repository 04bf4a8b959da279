using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.EndToEnd;

/// <summary>The whole system under the AppHost, in existing-services mode, on the real services.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SystemStartupTests(AppHostFixture system)
{
    [Fact]
    public void Every_resource_is_healthy()
    {
        var notifications = system.App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in new[] { "teacherdb", "cache", "apiservice", "webfrontend" })
        {
            Assert.True(notifications.TryGetCurrentState(name, out var state), $"{name} has no state");
            Assert.Contains(state.Snapshot.State?.Text, new[] { KnownResourceStates.Running, null });
        }
        Assert.True(notifications.TryGetCurrentState("apiservice", out var api));
        Assert.Equal(HealthStatus.Healthy, api.Snapshot.HealthStatus);
        TestContext.Current.SendDiagnosticMessage($"System started in {system.StartupTime.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task The_web_front_end_answers_through_service_discovery()
    {
        using var web = system.CreateWebClient();
        var response = await web.GetAsync("/", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Contains("TeacherTrainer", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_status_endpoint_checks_every_layer_for_real_and_all_are_healthy()
    {
        // Anyone: up or down, nothing more.
        using var anonymous = system.CreateApiClient();
        // The raw wire: exactly these two properties, nothing more.
        using var overall = JsonDocument.Parse(await anonymous.GetStringAsync("/api/status", TestContext.Current.CancellationToken));
        Assert.Equal(["checkedAt", "status"], overall.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("healthy", overall.RootElement.GetProperty("status").GetString());

        // Administrators: every layer.
        using var api = await system.CreateSignedInApiClientAsync(TestContext.Current.CancellationToken);
        var report = (await api.GetFromJsonAsync<StatusReport>("/api/admin/status", TestContext.Current.CancellationToken))!;
        var layers = report.Layers.ToDictionary(l => l.Name);

        Assert.Equal(StatusLevel.Healthy, report.Status);
        Assert.Equal(["cache", "chat-model", "database", "embedding-model", "vector-search"], layers.Keys.Order());
        Assert.All(layers.Where(l => l.Key != "chat-model").Select(l => l.Value), l => Assert.Equal(StatusLevel.Healthy, l.Status));
        Assert.Equal("0.8.0", layers["database"].Facts["pgvector"]);
        // The vector round trip found a real nearest neighbour among the seeded exemplar vectors.
        var vector = layers["vector-search"].Facts;
        Assert.True(int.Parse(vector["vectors"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.False(string.IsNullOrWhiteSpace(vector["nearest"]));
        Assert.Equal("384", layers["embedding-model"].Facts["dimensions"]);
    }

    [Fact]
    public async Task The_web_status_page_is_for_administrators_only()
    {
        // Signed out: sent to sign in, no layer shown (an administrator sees them: AuthoringAndAdminTests).
        using var web = system.CreateWebClient();
        var response = await web.GetAsync("/status", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("data-testid=\"layer-database\"", html);
        Assert.Contains("/account/sign-in", response.RequestMessage!.RequestUri!.AbsolutePath + html);
    }

    [Fact]
    public async Task The_web_keeps_an_encrypted_key_ring_in_the_sessions_Redis_and_nothing_in_the_cache()
    {
        // The sign-in form carries an anti-forgery token, so the web has made its first key by now.
        using var web = system.CreateWebClient();
        (await web.GetAsync("/account/sign-in", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        await using var sessions = await ConnectionMultiplexer.ConnectAsync(system.SessionsConnectionString);
        var ring = (await sessions.GetDatabase().ListRangeAsync("teachertrainer:web:data-protection-keys")).Select(v => v.ToString()).ToList();
        Assert.NotEmpty(ring);
        Assert.All(ring, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
        Assert.Equal("noeviction", (await sessions.GetServers()[0].ConfigGetAsync("maxmemory-policy")).Single().Value);
        await using var cache = await ConnectionMultiplexer.ConnectAsync(system.RedisConnectionString);
        Assert.Empty(cache.GetServers()[0].Keys(cache.GetDatabase().Database, "teachertrainer:web:*"));
    }

    [Fact]
    public async Task A_second_catalog_read_is_served_from_the_Redis_output_cache()
    {
        using var api = await system.CreateSignedInApiClientAsync(TestContext.Current.CancellationToken);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(system.RedisConnectionString);
        var server = redis.GetServers()[0];
        var database = redis.GetDatabase().Database;
        // A category nobody has: its own cache entry (the catalog varies by its filters, and only by them).
        var url = $"/api/scenarios?category=probe-{Guid.NewGuid():N}";

        var first = await api.GetAsync(url, TestContext.Current.CancellationToken);
        var second = await api.GetAsync(url, TestContext.Current.CancellationToken);

        first.EnsureSuccessStatusCode();
        second.EnsureSuccessStatusCode();
        Assert.False(first.Headers.Contains("X-Cache"));
        Assert.Equal("HIT", Assert.Single(second.Headers.GetValues("X-Cache")));
        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // The entry lives in Redis, under the output cache's key prefix, and names the request.
        var keys = server.Keys(database, "teachertrainer:*").Select(k => k.ToString()).ToList();
        Assert.Contains(keys, k => k.Contains("__MSOCV_", StringComparison.Ordinal) && k.Contains("PROBE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_first_administrator_signs_in_and_the_catalog_needs_a_signed_in_user()
    {
        using var anonymous = system.CreateApiClient();
        var refused = await anonymous.GetAsync("/api/scenarios", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        using var admin = await system.CreateSignedInApiClientAsync(TestContext.Current.CancellationToken);
        var me = (await admin.GetFromJsonAsync<MeResponse>("/api/auth/me", TestContext.Current.CancellationToken))!;
        Assert.Equal("admin", me.Role);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/scenarios", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task The_web_front_end_sends_security_headers_and_strict_cookies()
    {
        using var web = system.CreateWebClient();
        var response = await web.GetAsync("/", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("strict-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        // The page's inline import map carries this response's nonce, so the policy lets it run.
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"nonce=\"{nonce}\"", html);
        // Every cookie the page sets (the anti-forgery cookie) is HttpOnly and SameSite=Strict.
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        Assert.All(cookies, c =>
        {
            Assert.Contains("samesite=strict", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase);
        });
    }
}

/// <summary>The dashboard's development command, run as the dashboard runs it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardCommandTests(AppHostFixture system)
{
    [Fact]
    public async Task The_reseed_button_reloads_the_library_through_the_api()
    {
        var api = system.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "apiservice");
        var command = Assert.Single(api.Annotations.OfType<ResourceCommandAnnotation>(), c => c.DisplayName == "Re-seed scenario library");
        var result = await system.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("apiservice", command.Name, TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Message);
    }
}
