using System.Text;
using System.Text.Json;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Clear refusals: problem details naming the field and reason, body limits, and the OpenAPI description of it all.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDefenceTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"name\": 42}", "$.name")]
    [InlineData("{\"name\": \"Cohort\", \"description\": [1]}", "$.description")]
    [InlineData("{\"name\": ", "$.name")]
    [InlineData("{\"name\": \"a\\u0000b\"}", "name")]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{}", "name")]
    public async Task Malformed_and_invalid_bodies_get_400_problem_details_naming_the_field(string body, string field)
    {
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        var response = await instructor.PostAsync("/api/cohorts", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // A problem-details body is the raw wire (no contract): its "errors" keyed by the field's wire name.
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var reasons), $"{field} not in {problem}");
        Assert.False(string.IsNullOrWhiteSpace(reasons[0].GetString()));
    }

    [Fact]
    public async Task Oversized_bodies_wrong_content_types_and_wrong_query_types_are_refused_clearly()
    {
        using var anonymous = api.CreateClient();
        var huge = await anonymous.PostAsync("/api/auth/token",
            new StringContent($"{{\"email\":\"a@b.c\",\"password\":\"{new string('p', 20_000)}\"}}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        // Problem details: the raw wire.
        Assert.Contains("at most", (await huge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());

        var text = await anonymous.PostAsync("/api/auth/token", new StringContent("email=a@b.c", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await anonymous.GetAsync("/api/auth/token", Ct)).StatusCode);

        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var page = await admin.GetAsync("/api/admin/users?page=99999999999999999999", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("page", await page.Content.ReadAsStringAsync(Ct));
        var control = await admin.GetAsync("/api/admin/users?q=%01", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/users/123456789012345678901234567890", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_bearer_auth_and_each_operations_errors()
    {
        using var anonymous = api.CreateClient();
        // The OpenAPI document is checked as the raw wire a client generator reads.
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var paths = document.GetProperty("paths");
        var create = paths.GetProperty("/api/cohorts").GetProperty("post");
        Assert.True(create.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        var responses = create.GetProperty("responses");
        foreach (var status in new[] { "201", "400", "401", "403", "413" }) Assert.True(responses.TryGetProperty(status, out _), $"POST /api/cohorts lacks {status}");
        Assert.Contains("instructor", responses.GetProperty("403").GetProperty("description").GetString());

        var signIn = paths.GetProperty("/api/auth/token").GetProperty("post");
        Assert.False(signIn.TryGetProperty("security", out _));
        foreach (var status in new[] { "200", "400", "401", "423", "429" }) Assert.True(signIn.GetProperty("responses").TryGetProperty(status, out _), $"sign-in lacks {status}");
        Assert.False(paths.GetProperty("/api/status").GetProperty("get").TryGetProperty("security", out _));
        // Every operation under /api has a summary; every one that needs a token says so and lists 401 and 403.
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{operation.Name} {path.Name} has no summary");
                if (!operation.Value.TryGetProperty("security", out _)) continue;
                var listed = operation.Value.GetProperty("responses");
                Assert.True(listed.TryGetProperty("401", out _) && listed.TryGetProperty("403", out _), $"{operation.Name} {path.Name} lacks 401/403");
            }
        }
        var secured = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Count(o => o.Value.TryGetProperty("security", out _));
        Assert.True(secured >= 20, $"only {secured} operations need a token");
    }
}
