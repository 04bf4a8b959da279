using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Pgvector;
using Pgvector.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Scenarios;

public static class ScenariosApi
{
    public static IEndpointRouteBuilder MapScenariosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scenarios").WithTags("Scenarios").RequireAuthorization();

        api.MapGet("/", ListScenariosAsync)
            .WithName("ListScenarios")
            .WithSummary("The scenario catalog: filter by category, grade band and difficulty, or search by meaning with q.")
            .CacheOutput(CachePolicies.Catalog);

        api.MapGet("/{slug}", GetScenarioAsync)
            .WithName("GetScenario")
            .WithSummary("A scenario's briefing: setting, persona, goals and rubric (current version).")
            .CacheOutput(CachePolicies.Briefing);

        // Not under /api/scenarios/{slug}: any slug is a scenario's address there.
        app.MapGet("/api/cohorts/scenarios", ListCohortScenariosAsync)
            .WithTags("Scenarios")
            .WithName("ListCohortScenarios")
            .WithSummary("Scenarios published to the cohorts the caller belongs to or teaches (not to the library for everyone), with the cohorts' names; never cached, as each caller's differs.")
            .RequireAuthorization();
        return app;
    }

    public static async Task<Ok<ScenarioList>> ListScenariosAsync(
        [AsParameters] ScenarioQuery filter, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var (category, gradeBand, difficulty, q) = filter;
        // Shared by everyone (and cached so): published scenarios only; drafts are their authors' (GET /api/scenarios/mine).
        var query = services.Db.Scenarios.AsNoTracking().Where(ScenarioAccess.InCatalog);
        if (!string.IsNullOrWhiteSpace(category)) query = query.Where(s => s.Category == category);
        if (!string.IsNullOrWhiteSpace(gradeBand)) query = query.Where(s => s.GradeBand == gradeBand);
        if (!string.IsNullOrWhiteSpace(difficulty)) query = query.Where(s => s.Difficulty == difficulty);

        List<ScenarioCard> cards;
        if (!string.IsNullOrWhiteSpace(q))
        {
            var vector = new Vector(await services.Embeddings.GenerateVectorAsync(q, cancellationToken: cancellationToken));
            cards = await query
                .OrderBy(s => s.SearchEmbedding!.CosineDistance(vector))
                .Take(20)
                .Select(s => new ScenarioCard(s.Slug, s.Title, s.Category, s.GradeBand, s.Difficulty, s.Summary, s.CurrentVersionNumber,
                    Math.Round(1 - s.SearchEmbedding!.CosineDistance(vector), 3), s.Source))
                .ToListAsync(cancellationToken);
        }
        else
        {
            cards = await query
                .OrderBy(s => s.Category).ThenBy(s => s.Title)
                .Select(s => new ScenarioCard(s.Slug, s.Title, s.Category, s.GradeBand, s.Difficulty, s.Summary, s.CurrentVersionNumber, null, s.Source))
                .ToListAsync(cancellationToken);
        }
        return TypedResults.Ok(new ScenarioList(cards.Count, cards));
    }

    public static async Task<Ok<List<CohortScenarioCard>>> ListCohortScenariosAsync([AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var caller = services.Caller;
        var me = caller.UserId;
        var teacher = caller.IsInstructor;
        var cards = await db.Scenarios.AsNoTracking().Where(ScenarioAccess.PublishedToCohortsOf(caller))
            .OrderBy(s => s.Category).ThenBy(s => s.Title)
            .Take(500)
            .Select(s => new CohortScenarioCard(s.Slug, s.Title, s.Category, s.GradeBand, s.Difficulty, s.Summary, s.CurrentVersionNumber,
                s.Audiences.Where(a => a.Cohort!.Members.Any(m => m.UserId == me) || (teacher && a.Cohort.InstructorId == me))
                    .OrderBy(a => a.Cohort!.Name).Select(a => a.Cohort!.Name).ToList()))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(cards);
    }

    public static async Task<Results<Ok<ScenarioBriefing>, NotFoundProblem>> GetScenarioAsync(
        string slug, [AsParameters] CatalogServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var db = services.Db;
        // A draft (or an archived scenario) is shown only to those who may edit it: 404 to everyone else.
        var visible = db.Scenarios.Where(ScenarioAccess.VisibleTo(services.Caller));
        var version = await db.ScenarioVersions.AsNoTracking()
            .Where(v => v.Scenario!.Slug == slug && v.Id == v.Scenario.CurrentVersionId && !v.Scenario.IsArchived)
            .Where(v => visible.Any(s => s.Id == v.ScenarioId))
            .Select(v => new { v.Number, v.Content, InCatalog = v.Scenario!.PublishedAt != null && !v.Scenario.CohortsOnly })
            .SingleOrDefaultAsync(cancellationToken);
        if (version is null) return ScenarioProblems.UnknownScenario(slug);
        // The cached answer is shared by every user: a draft's briefing, or one published only to some cohorts, must never be stored in it.
        if (!version.InCatalog && http.Features.Get<IOutputCacheFeature>() is { } caching) caching.Context.AllowCacheStorage = false;
        var d = version.Content;
        return TypedResults.Ok(new ScenarioBriefing(d.Slug, d.Title, d.Category, d.GradeBand, d.Difficulty, d.Summary, d.Setting,
            d.Persona, d.OpeningLine, d.Goals, d.TurnLimit, d.Rubric.Select(c => new BriefingCriterion(c.Key, c.Name, c.Description, c.Weight)).ToList(),
            d.Tags, version.Number));
    }
}

/// <summary>What the catalog handlers need: the database, the caller and the embedding generator (for search by meaning).</summary>
public sealed record CatalogServices(
    [FromServices] TeacherDbContext Db, ClaimsPrincipal User, [FromServices] ILookupNormalizer Normalizer,
    [FromServices] IEmbeddingGenerator<string, Embedding<float>> Embeddings)
{
    public ScenarioCaller Caller => ScenarioCaller.From(User, Normalizer);
}
