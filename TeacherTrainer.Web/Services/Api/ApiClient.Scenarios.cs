using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    public Task<ScenarioList> ListScenariosAsync(ScenarioQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ScenarioQuery();
        return GetAsync<ScenarioList>(Query("/api/scenarios",
            ("category", query.Category), ("gradeBand", query.GradeBand), ("difficulty", query.Difficulty), ("q", query.Q)), cancellationToken);
    }

    public Task<ScenarioBriefing> GetScenarioAsync(string slug, CancellationToken cancellationToken = default)
        => GetAsync<ScenarioBriefing>($"/api/scenarios/{Segment(slug)}", cancellationToken);

    /// <summary>The scenario's current version as its authored JSON document (instructors).</summary>
    public async Task<JsonObject> GetScenarioDocumentAsync(string slug, CancellationToken cancellationToken = default)
        => (JsonObject)(await GetAsync<JsonNode>($"/api/scenarios/{Segment(slug)}/document", cancellationToken))!;

    public Task<IReadOnlyList<ScenarioVersionSummary>> ListScenarioVersionsAsync(string slug, CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<ScenarioVersionSummary>>($"/api/scenarios/{Segment(slug)}/versions", cancellationToken);

    /// <summary>Checks a scenario document (any JSON text); never throws for an invalid one.</summary>
    public async Task<ScenarioValidation> ValidateScenarioAsync(string json, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/scenarios/validate",
            () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        return await ReadAsync<ScenarioValidation>(response, cancellationToken);
    }

    /// <summary>Creates the scenario or publishes a new version. An invalid document throws with the issues in <see cref="ApiProblemException.Errors"/> (by JSON path).</summary>
    public async Task<PublishedScenario> PublishScenarioAsync(string slug, string json, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/api/scenarios/{Segment(slug)}",
            () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        return await ReadAsync<PublishedScenario>(response, cancellationToken);
    }

    /// <summary>What the document changes against the last published version. An invalid document throws with its issues.</summary>
    public async Task<ScenarioDiff> DiffScenarioAsync(string slug, string json, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/scenarios/{Segment(slug)}/diff",
            () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        return await ReadAsync<ScenarioDiff>(response, cancellationToken);
    }

    public Task ArchiveScenarioAsync(string slug, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/scenarios/{Segment(slug)}", null, cancellationToken);

    /// <summary>Scenarios the caller owns or co-authors, drafts and archived ones included.</summary>
    public Task<IReadOnlyList<AuthoredScenarioCard>> ListMyScenariosAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<AuthoredScenarioCard>>("/api/scenarios/mine", cancellationToken);

    public Task<ScenarioOwnership> GetScenarioOwnershipAsync(string slug, CancellationToken cancellationToken = default)
        => GetAsync<ScenarioOwnership>($"/api/scenarios/{Segment(slug)}/ownership", cancellationToken);

    /// <summary>Publishes a scenario to an audience: <c>library</c> (admins) or <c>cohorts</c> (those given); also brings back an archived one.</summary>
    public Task<PublishedScenario> PublishDraftAsync(string slug, string? audience, IReadOnlyList<Guid>? cohortIds = null, CancellationToken cancellationToken = default)
        => SendJsonAsync<PublishedScenario>(HttpMethod.Post, $"/api/scenarios/{Segment(slug)}/publish", new PublishRequest(audience, cohortIds), cancellationToken);

    /// <summary>Scenarios published to the caller's cohorts (not in the shared catalog).</summary>
    public Task<IReadOnlyList<CohortScenarioCard>> ListCohortScenariosAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<CohortScenarioCard>>("/api/cohorts/scenarios", cancellationToken);

    /// <summary>Copies a scenario (the library's, say) into a new draft the caller owns.</summary>
    public Task<PublishedScenario> CopyScenarioAsync(string slug, CancellationToken cancellationToken = default)
        => SendJsonAsync<PublishedScenario>(HttpMethod.Post, $"/api/scenarios/{Segment(slug)}/copy", new { }, cancellationToken);

    public Task<ScenarioOwnership> AddCoAuthorAsync(string slug, string email, CancellationToken cancellationToken = default)
        => SendJsonAsync<ScenarioOwnership>(HttpMethod.Post, $"/api/scenarios/{Segment(slug)}/coauthors", new { email }, cancellationToken);

    public Task RemoveCoAuthorAsync(string slug, string email, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/scenarios/{Segment(slug)}/coauthors/{Segment(email)}", null, cancellationToken);
}
