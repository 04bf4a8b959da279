using System.Text.Json;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The endpoint recipe's promise for the Cohorts, Identity and Admin features: every outcome a handler's
/// results union names, problems included, is in the OpenAPI document with problem details as its body.
/// (The raw document on purpose: it is what clients generate code from.)
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CohortAndAccountOpenApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/cohorts/{cohortId}", "get", "404")]
    [InlineData("/api/cohorts/{cohortId}/invitations/bulk", "post", "404")]
    [InlineData("/api/cohorts/{cohortId}/invitations/bulk", "post", "409")]
    [InlineData("/api/invitations/{invitationId}/accept", "post", "404")]
    [InlineData("/api/auth/signup", "post", "409")]
    [InlineData("/api/auth/token", "post", "423")]
    [InlineData("/api/auth/two-factor/enable", "post", "409")]
    [InlineData("/api/admin/users/{userId}/role", "put", "409")]
    [InlineData("/api/admin/users/{userId}/lock", "post", "404")]
    public async Task Each_problem_a_handler_can_answer_is_in_the_document(string path, string method, string status)
    {
        using var anonymous = api.CreateClient();
        // The OpenAPI document is checked as the raw wire a client generator reads.
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var response), $"{method} {path} does not declare {status}");
        Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {status} is not problem details");
    }
}
