using System.Text.Json;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The endpoint recipe's promise, feature by feature: every problem a handler can answer shows in the OpenAPI
/// document, as problem details. Read as raw JSON: the document is the wire here.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiProblemsTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("get", "/api/scenarios/{slug}", "404")]
    [InlineData("post", "/api/scenarios/{slug}/copy", "404 409")]
    [InlineData("post", "/api/sessions", "404 400")]
    [InlineData("get", "/api/sessions/{id}", "404")]
    [InlineData("post", "/api/sessions/{id}/turns", "404 409 503")]
    [InlineData("post", "/api/sessions/{id}/turns/last/retry", "404 409")]
    [InlineData("post", "/api/evaluations", "404 400")]
    [InlineData("put", "/api/collections/{name}", "409 400")]
    [InlineData("put", "/api/collections/{name}/attachments/scenarios/{slug}", "404")]
    [InlineData("get", "/api/cohorts/{cohortId}", "404")]
    [InlineData("post", "/api/cohorts/{cohortId}/invitations/bulk", "404 409")]
    [InlineData("post", "/api/invitations/{invitationId}/accept", "404")]
    [InlineData("post", "/api/auth/signup", "409")]
    [InlineData("post", "/api/auth/token", "423")]
    [InlineData("post", "/api/auth/two-factor/enable", "409")]
    [InlineData("put", "/api/admin/users/{userId}/role", "409")]
    [InlineData("post", "/api/admin/users/{userId}/lock", "404")]
    public async Task Each_problem_an_endpoint_answers_is_in_the_document(string method, string path, string statuses)
    {
        using var anonymous = api.CreateClient();
        // The OpenAPI document is checked as the raw wire a client generator reads.
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = document.GetProperty("paths");
        // A group's root route ("/api/sessions/") may be written with or without its slash.
        Assert.True(paths.TryGetProperty(path, out var operations) || paths.TryGetProperty(path + "/", out operations), $"{path} is not in the document");
        var responses = operations.GetProperty(method).GetProperty("responses");
        foreach (var status in statuses.Split(' '))
        {
            Assert.True(responses.TryGetProperty(status, out var response), $"{method.ToUpperInvariant()} {path} does not declare {status}");
            if (status == "400") continue; // a validation problem: declared by the validation filter with its own shape
            Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method.ToUpperInvariant()} {path}'s {status} is not problem details");
        }
    }
}
