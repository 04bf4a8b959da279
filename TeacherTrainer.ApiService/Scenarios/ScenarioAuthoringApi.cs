using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Authoring for instructors: their own scenarios (drafts until published), copies of the library,
/// co-authors, export, validation, new versions, publishing and archiving. Who may do what is
/// <see cref="ScenarioAccess"/>: a scenario the caller may not see answers 404, one they see but may
/// not change 403. A new version never changes sessions already held: they keep theirs.
/// </summary>
public static class ScenarioAuthoringApi
{
    public const long MaxScenarioBytes = 512 * 1024;
    public const int MaxCoAuthors = 10;

    public static IEndpointRouteBuilder MapScenarioAuthoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scenarios").WithTags("Scenario authoring")
            .RequireAuthorization(Policies.Instructor)
            .WithMetadata(new RequestSizeLimitAttribute(MaxScenarioBytes));

        api.MapGet("/mine", ListMineAsync)
            .WithName("ListMyScenarios")
            .WithSummary("Scenarios the caller owns or co-authors (admins: every authored scenario), drafts and archived ones included.");
        api.MapGet("/{slug}/document", GetDocumentAsync)
            .WithName("ExportScenario")
            .WithSummary("The scenario's current version as the JSON document it is authored in (schema: Content/scenario.schema.json).");
        api.MapGet("/{slug}/versions", ListVersionsAsync)
            .WithName("ListScenarioVersions")
            .WithSummary("Every version of a scenario, newest first, with who made it and how many sessions used it.");
        api.MapGet("/{slug}/ownership", GetOwnershipAsync)
            .WithName("GetScenarioOwnership")
            .WithSummary("Whose the scenario is, whether it is a draft, published or archived, and what the caller may do with it; co-authors and the publishing history for its authors.");
        api.MapPost("/validate", Validate)
            .WithName("ValidateScenario")
            .WithSummary("Checks a scenario document: every problem with where (a JSON path) and why.");
        api.MapPost("/{slug}/diff", DiffAsync)
            .WithName("DiffScenario")
            .WithSummary("What a document changes against the scenario's last published version, section by section (setting changed, criteria added/removed/edited, exemplars +n/-m...), with its consistency warnings: shown before publishing.");
        api.MapPut("/{slug}", SaveAsync)
            .WithName("PublishScenario")
            .WithSummary("Creates the scenario as the caller's draft, or saves its document as a new version when it changed (live at once when the scenario is published). Invalid documents get 400 with every problem.");
        api.MapPost("/{slug}/publish", PublishAsync)
            .WithName("PublishScenarioDraft")
            .WithSummary("Publishes a scenario to an audience: the cohorts given (its authors' own; admins any), or (admins only) the library for everyone, which is also what no body means. Publishes a draft, brings back an archived scenario or changes a published one's audience. Audited with the actor.");
        api.MapDelete("/{slug}", ArchiveAsync)
            .WithName("ArchiveScenario")
            .WithSummary("Archives a scenario: it leaves the catalog; past sessions and their results stay. Audited with the actor.");
        api.MapPost("/{slug}/copy", CopyAsync)
            .WithName("CopyScenario")
            .WithSummary("Copies a scenario the caller can see (the built-in library, for one) into a new draft the caller owns.");
        api.MapPost("/{slug}/coauthors", AddCoAuthorAsync)
            .WithName("AddScenarioCoAuthor")
            .WithSummary("Names a co-author by email (the owner or an admin). The answer is the same whether or not the email has an account; an instructor or admin with that email may then edit, publish and archive the scenario.");
        api.MapDelete("/{slug}/coauthors/{email}", RemoveCoAuthorAsync)
            .WithName("RemoveScenarioCoAuthor")
            .WithSummary("Removes a co-author (the owner or an admin).");
        return app;
    }

    public static async Task<Ok<List<AuthoredScenarioCard>>> ListMineAsync([AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var caller = s.Caller;
        var cards = await s.Db.Scenarios.AsNoTracking()
            .Where(x => x.Source != ScenarioSources.Library)
            .Where(ScenarioAccess.EditableBy(caller))
            .OrderBy(x => x.Title).ThenBy(x => x.Slug)
            .Select(x => new AuthoredScenarioCard(x.Slug, x.Title, x.Category, x.GradeBand, x.Difficulty, x.CurrentVersionNumber,
                x.IsArchived ? ScenarioStatus.Archived : x.PublishedAt != null ? ScenarioStatus.Published : ScenarioStatus.Draft,
                s.Db.Users.Where(u => u.Id == x.OwnerId).Select(u => u.DisplayName).FirstOrDefault(), x.OwnerId == caller.UserId))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(cards);
    }

    public static async Task<Results<Ok<ScenarioDocument>, NotFoundProblem>> GetDocumentAsync(string slug, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var content = await s.Db.ScenarioVersions.AsNoTracking()
            .Where(v => v.Scenario!.Slug == slug && v.Id == v.Scenario.CurrentVersionId)
            .Where(v => s.Db.Scenarios.Where(ScenarioAccess.VisibleTo(s.Caller)).Any(x => x.Id == v.ScenarioId))
            .Select(v => v.Content).SingleOrDefaultAsync(cancellationToken);
        return content is null ? ScenarioProblems.UnknownScenario(slug) : TypedResults.Ok(content);
    }

    public static async Task<Results<Ok<List<ScenarioVersionSummary>>, NotFoundProblem>> ListVersionsAsync(string slug, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var db = s.Db;
        var scenario = await db.Scenarios.AsNoTracking().Where(ScenarioAccess.VisibleTo(s.Caller)).SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        var versions = await db.ScenarioVersions.AsNoTracking().Where(v => v.ScenarioId == scenario.Id)
            .OrderByDescending(v => v.Number)
            .Select(v => new ScenarioVersionSummary(v.Number, v.CreatedAt,
                db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
                v.Id == scenario.CurrentVersionId, db.Sessions.Count(x => x.ScenarioVersionId == v.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(versions);
    }

    public static async Task<Results<Ok<ScenarioOwnership>, NotFoundProblem>> GetOwnershipAsync(string slug, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var scenario = await FindVisibleAsync(s, slug, cancellationToken);
        return scenario is null ? ScenarioProblems.UnknownScenario(slug) : TypedResults.Ok(await OwnershipAsync(s, scenario, cancellationToken));
    }

    public static async Task<Ok<ScenarioValidation>> Validate(JsonElement document, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        // The caller's own scenario with this slug is what a rename is measured against.
        var slug = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("slug", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var earlier = slug is null ? [] : await EarlierAsync(s, slug, cancellationToken);
        var (_, issues) = s.Validator.Validate(document.GetRawText(), earlier);
        return TypedResults.Ok(new ScenarioValidation(issues.Count == 0, issues));
    }

    public static async Task<Results<Ok<ScenarioDiff>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> DiffAsync(
        string slug, JsonElement document, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var scenario = await s.Db.Scenarios.AsNoTracking().SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        switch (await StandingAsync(s, scenario, cancellationToken))
        {
            case Standing.Outsider: return ScenarioProblems.UnknownScenario(slug);
            case Standing.Reader: return ReadOnly(scenario);
        }
        var (parsed, issues) = s.Validator.Validate(document.GetRawText(), await EarlierAsync(s, slug, cancellationToken));
        if (parsed is null) return Invalid(issues);
        var published = await LastPublishedAsync(s.Db, scenario, cancellationToken);
        return TypedResults.Ok(ScenarioDiffer.Diff(published?.Content, published?.Number, parsed, issues));
    }

    public static async Task<Results<Ok<PublishedScenario>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> SaveAsync(
        string slug, JsonElement document, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var existing = await s.Db.Scenarios.AsNoTracking().SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
        switch (existing is null ? Standing.Editor : await StandingAsync(s, existing, cancellationToken))
        {
            case Standing.Outsider: return ScenarioProblems.UnknownScenario(slug);
            case Standing.Reader: return ReadOnly(existing!);
        }

        var (parsed, issues) = s.Validator.Validate(document.GetRawText(), existing is null ? [] : await EarlierAsync(s, slug, cancellationToken));
        if (parsed is null) return Invalid(issues);
        if (parsed.Slug != slug) return Invalid([new ScenarioIssue("/slug", $"The document's slug '{parsed.Slug}' must match the address '{slug}'.")]);
        // A draft may be saved with warnings (rename first, fix the text after); a live scenario may not.
        if (existing is { PublishedAt: not null, IsArchived: false } && issues.Count > 0) return Invalid(issues);

        var written = await s.Versioning.StageAsync([(parsed, existing?.Source ?? ScenarioSources.Authored)], s.UserId, cancellationToken);
        var scenario = s.Db.ChangeTracker.Entries<Scenario>().Select(e => e.Entity).SingleOrDefault(x => x.Slug == slug)
            ?? await s.Db.Scenarios.SingleAsync(x => x.Slug == slug, cancellationToken);
        var live = scenario.PublishedAt is not null && !scenario.IsArchived;
        // A new version of a published scenario reaches trainees at once: that is a publication.
        if (written > 0 && live) Audit(s, scenario, ScenarioAuditActions.Published);
        await s.Db.SaveChangesAsync(cancellationToken);
        if (written > 0 && live)
        {
            s.Log.ScenarioPublished(s.UserId.ToString(), slug, scenario.CurrentVersionNumber, scenario.CohortsOnly ? "its cohorts" : "everyone");
            await s.Cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        }
        return TypedResults.Ok(new PublishedScenario(slug, scenario.CurrentVersionNumber, Created: existing is null, Changed: written > 0, Status(scenario)));
    }

    public static async Task<Results<Ok<PublishedScenario>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> PublishAsync(
        string slug, [AsParameters] AuthoringServices s, CancellationToken cancellationToken, [FromBody] PublishRequest? request = null)
    {
        var scenario = await s.Db.Scenarios.Include(x => x.Audiences).SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        switch (await StandingAsync(s, scenario, cancellationToken))
        {
            case Standing.Outsider: return ScenarioProblems.UnknownScenario(slug);
            case Standing.Reader: return ReadOnly(scenario);
        }

        // Who it is for: the library (everyone; admins only) or the cohorts named.
        var toLibrary = request?.Audience is null or PublishAudiences.Library;
        List<Guid> cohorts = [];
        if (toLibrary)
        {
            if (!s.Caller.IsAdmin)
            {
                return ScenarioProblems.OnlyAdminsPublishToLibrary();
            }
        }
        else
        {
            if (scenario.Source == ScenarioSources.Library)
                return InvalidField("audience", "The built-in library is for everyone; copy it to publish your own version to cohorts.");
            cohorts = (request!.CohortIds ?? []).Distinct().ToList();
            if (cohorts.Count == 0) return InvalidField("cohortIds", "Choose at least one cohort.");
            // An author publishes to the cohorts they or the scenario's owner teach; admins to any.
            var me = s.UserId;
            var owner = scenario.OwnerId;
            var allowed = await s.Db.Cohorts.Where(c => cohorts.Contains(c.Id))
                .Where(c => s.Caller.IsAdmin || c.InstructorId == me || (owner != null && c.InstructorId == owner))
                .Select(c => c.Id).ToListAsync(cancellationToken);
            if (allowed.Count != cohorts.Count) return InvalidField("cohortIds", "Choose only cohorts you teach.");
        }

        var wasLive = scenario.PublishedAt is not null && !scenario.IsArchived;
        if (!wasLive)
        {
            // What trainees would meet must agree with itself: no published scenario keeps a renamed persona's old name.
            var content = await s.Db.ScenarioVersions.AsNoTracking().Where(v => v.Id == scenario.CurrentVersionId).Select(v => v.Content).SingleAsync(cancellationToken);
            var warnings = ScenarioConsistency.Check(content, await EarlierAsync(s, slug, cancellationToken)).DistinctBy(i => (i.Path, i.Message)).Take(50).ToList();
            if (warnings.Count > 0) return Invalid(warnings);
        }
        var sameAudience = wasLive && scenario.CohortsOnly == !toLibrary
            && scenario.Audiences.Select(a => a.CohortId).ToHashSet().SetEquals(cohorts);
        if (!sameAudience)
        {
            scenario.PublishedAt ??= s.Time.GetUtcNow();
            scenario.IsArchived = false;
            scenario.ArchivedAt = null;
            scenario.ArchivedById = null;
            scenario.CohortsOnly = !toLibrary;
            scenario.Audiences.RemoveAll(a => !cohorts.Contains(a.CohortId));
            foreach (var id in cohorts.Where(id => scenario.Audiences.All(a => a.CohortId != id)))
            {
                scenario.Audiences.Add(new ScenarioAudience { ScenarioId = scenario.Id, CohortId = id, AddedAt = s.Time.GetUtcNow(), AddedById = s.UserId });
            }
            Audit(s, scenario, ScenarioAuditActions.Published);
            await s.Db.SaveChangesAsync(cancellationToken);
            s.Log.ScenarioPublished(s.UserId.ToString(), slug, scenario.CurrentVersionNumber, AudienceText(scenario));
            // The shared catalog and briefing caches may hold it (or must now): rebuild them.
            await s.Cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        }
        return TypedResults.Ok(new PublishedScenario(slug, scenario.CurrentVersionNumber, Created: false, Changed: false, Status(scenario),
            scenario.CohortsOnly ? PublishAudiences.Cohorts : PublishAudiences.Library, [.. scenario.Audiences.Select(a => a.CohortId)]));
    }

    /// <summary>Who a publication reached, for the security log: everyone, or the cohorts by id.</summary>
    private static string AudienceText(Scenario scenario)
        => scenario.CohortsOnly ? "cohorts " + string.Join(",", scenario.Audiences.Select(a => a.CohortId)) : "everyone";

    private static ValidationProblem InvalidField(string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The audience is not valid");

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> ArchiveAsync(string slug, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var scenario = await s.Db.Scenarios.SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        switch (await StandingAsync(s, scenario, cancellationToken))
        {
            case Standing.Outsider: return ScenarioProblems.UnknownScenario(slug);
            case Standing.Reader: return ReadOnly(scenario);
        }
        if (!scenario.IsArchived)
        {
            scenario.IsArchived = true;
            scenario.ArchivedAt = s.Time.GetUtcNow();
            scenario.ArchivedById = s.UserId;
            Audit(s, scenario, ScenarioAuditActions.Archived);
            await s.Db.SaveChangesAsync(cancellationToken);
            s.Log.ScenarioArchived(s.UserId.ToString(), slug);
            await s.Cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<PublishedScenario>, NotFoundProblem, ConflictProblem>> CopyAsync(
        string slug, CopyScenarioRequest? request, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var source = await s.Db.ScenarioVersions.AsNoTracking()
            .Where(v => v.Scenario!.Slug == slug && v.Id == v.Scenario.CurrentVersionId)
            .Where(v => s.Db.Scenarios.Where(ScenarioAccess.VisibleTo(s.Caller)).Any(x => x.Id == v.ScenarioId))
            .Select(v => v.Content).SingleOrDefaultAsync(cancellationToken);
        if (source is null) return ScenarioProblems.UnknownScenario(slug);

        var newSlug = request?.Slug ?? await FreeSlugAsync(s.Db, slug, cancellationToken);
        if (newSlug == ReservedSlug || await s.Db.Scenarios.AnyAsync(x => x.Slug == newSlug, cancellationToken))
        {
            return ScenarioProblems.SlugTaken(newSlug);
        }
        var title = request?.Title ?? source.Title + " (copy)";
        var copy = source with { Slug = newSlug, Title = title.Length > ScenarioValidator.MaxTitle ? title[..ScenarioValidator.MaxTitle] : title };
        await s.Versioning.StageAsync([(copy, ScenarioSources.Authored)], s.UserId, cancellationToken);
        var scenario = s.Db.ChangeTracker.Entries<Scenario>().Select(e => e.Entity).Single(x => x.Slug == newSlug);
        Audit(s, scenario, ScenarioAuditActions.Copied);
        await s.Db.SaveChangesAsync(cancellationToken);
        s.Log.ScenarioCopied(s.UserId.ToString(), slug, newSlug);
        return TypedResults.Created($"/api/scenarios/{newSlug}/document",
            new PublishedScenario(newSlug, scenario.CurrentVersionNumber, Created: true, Changed: true, ScenarioStatus.Draft));
    }

    public static async Task<Results<Ok<ScenarioOwnership>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> AddCoAuthorAsync(
        string slug, CoAuthorRequest request, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var scenario = await FindVisibleAsync(s, slug, cancellationToken, withCoAuthors: true);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        if (!ScenarioAccess.CanManageAuthors(scenario, s.Caller)) return ScenarioProblems.NotYours(slug, "name co-authors");
        var email = request.Email.Trim();
        var normalized = s.Normalizer.NormalizeEmail(email);
        if (scenario.CoAuthors.All(a => a.NormalizedEmail != normalized))
        {
            if (scenario.CoAuthors.Count >= MaxCoAuthors)
            {
                return ApiProblems.Invalid("email", $"A scenario has at most {MaxCoAuthors} co-authors.");
            }
            // Kept by email whether or not it has an account, so the answer tells the owner nothing about who is registered.
            scenario.CoAuthors.Add(new ScenarioCoAuthor
            {
                ScenarioId = scenario.Id, Email = email, NormalizedEmail = normalized, AddedAt = s.Time.GetUtcNow(), AddedById = s.UserId,
            });
            await s.Db.SaveChangesAsync(cancellationToken);
            s.Log.ScenarioCoAuthorsChanged(s.UserId.ToString(), slug, "named");
        }
        return TypedResults.Ok(await OwnershipAsync(s, scenario, cancellationToken));
    }

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> RemoveCoAuthorAsync(
        string slug, string email, [AsParameters] AuthoringServices s, CancellationToken cancellationToken)
    {
        var scenario = await FindVisibleAsync(s, slug, cancellationToken, withCoAuthors: true);
        if (scenario is null) return ScenarioProblems.UnknownScenario(slug);
        if (!ScenarioAccess.CanManageAuthors(scenario, s.Caller)) return ScenarioProblems.NotYours(slug, "remove co-authors");
        var normalized = s.Normalizer.NormalizeEmail(email.Trim());
        if (scenario.CoAuthors.FirstOrDefault(a => a.NormalizedEmail == normalized) is { } coAuthor)
        {
            scenario.CoAuthors.Remove(coAuthor);
            await s.Db.SaveChangesAsync(cancellationToken);
            s.Log.ScenarioCoAuthorsChanged(s.UserId.ToString(), slug, "removed");
        }
        return TypedResults.NoContent();
    }

    /// <summary>Slugs the API itself uses as addresses under /api/scenarios.</summary>
    public const string ReservedSlug = "mine";

    /// <summary>The first and the current version of the caller's scenario with this slug: the personas its text may still describe.</summary>
    private static async Task<List<ScenarioDocument>> EarlierAsync(AuthoringServices s, string slug, CancellationToken cancellationToken)
        => await s.Db.ScenarioVersions.AsNoTracking()
            .Where(v => v.Scenario!.Slug == slug && (v.Number == 1 || v.Id == v.Scenario.CurrentVersionId))
            .Where(v => s.Db.Scenarios.Where(ScenarioAccess.EditableBy(s.Caller)).Any(x => x.Id == v.ScenarioId))
            .OrderBy(v => v.Number).Select(v => v.Content).ToListAsync(cancellationToken);

    /// <summary>
    /// The version trainees last met: the one named by the latest "published" audit entry, or the
    /// current one of a published scenario with no such entry (the library as it ships). Null for a draft never published.
    /// </summary>
    private static async Task<(ScenarioDocument Content, int Number)?> LastPublishedAsync(TeacherDbContext db, Scenario scenario, CancellationToken cancellationToken)
    {
        var id = scenario.Id;
        int? number = await db.ScenarioAudit.Where(a => a.ScenarioId == id && a.Action == ScenarioAuditActions.Published)
            .OrderByDescending(a => a.At).Select(a => (int?)a.VersionNumber).FirstOrDefaultAsync(cancellationToken);
        if (number is null && scenario.PublishedAt is not null) number = scenario.CurrentVersionNumber;
        if (number is null) return null;
        var content = await db.ScenarioVersions.AsNoTracking().Where(v => v.ScenarioId == id && v.Number == number).Select(v => v.Content).SingleOrDefaultAsync(cancellationToken);
        return content is null ? null : (content, number.Value);
    }

    private static async Task<Scenario?> FindVisibleAsync(AuthoringServices s, string slug, CancellationToken cancellationToken, bool withCoAuthors = false)
    {
        var query = s.Db.Scenarios.Where(ScenarioAccess.VisibleTo(s.Caller));
        if (withCoAuthors) query = query.Include(x => x.CoAuthors);
        return await query.SingleOrDefaultAsync(x => x.Slug == slug, cancellationToken);
    }

    /// <summary>Where the caller stands with a scenario: they may change it, only read it (403), or not even see it (404).</summary>
    private enum Standing { Editor, Reader, Outsider }

    private static async Task<Standing> StandingAsync(AuthoringServices s, Scenario scenario, CancellationToken cancellationToken)
    {
        var id = scenario.Id;
        if (await s.Db.Scenarios.Where(ScenarioAccess.EditableBy(s.Caller)).AnyAsync(x => x.Id == id, cancellationToken)) return Standing.Editor;
        return await s.Db.Scenarios.Where(ScenarioAccess.VisibleTo(s.Caller)).AnyAsync(x => x.Id == id, cancellationToken) ? Standing.Reader : Standing.Outsider;
    }

    /// <summary>The 403 for a reader who tried to change a scenario: the library, or another author's.</summary>
    private static ForbiddenProblem ReadOnly(Scenario scenario)
        => scenario.Source == ScenarioSources.Library ? ScenarioProblems.LibraryReadOnly(scenario.Slug) : ScenarioProblems.NotYours(scenario.Slug, "change it");

    private static async Task<ScenarioOwnership> OwnershipAsync(AuthoringServices s, Scenario scenario, CancellationToken cancellationToken)
    {
        var db = s.Db;
        var id = scenario.Id;
        var canEdit = await db.Scenarios.Where(ScenarioAccess.EditableBy(s.Caller)).AnyAsync(x => x.Id == id, cancellationToken);
        var owner = await db.Users.Where(u => u.Id == scenario.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        // Co-authors' emails and the history are for the scenario's authors, not for every reader.
        var coAuthors = canEdit
            ? await db.ScenarioCoAuthors.Where(a => a.ScenarioId == id).OrderBy(a => a.AddedAt).Select(a => a.Email).ToListAsync(cancellationToken)
            : [];
        var history = canEdit
            ? await db.ScenarioAudit.Where(a => a.ScenarioId == id).OrderByDescending(a => a.At).Take(50)
                .Select(a => new ScenarioAuditView(a.Action, a.VersionNumber, db.Users.Where(u => u.Id == a.ActorId).Select(u => u.DisplayName).FirstOrDefault(), a.At))
                .ToListAsync(cancellationToken)
            : [];
        // Which cohorts it is published to, for its authors (a reader sees only that it is for their cohort).
        var audience = canEdit
            ? await db.ScenarioAudiences.Where(a => a.ScenarioId == id).OrderBy(a => a.Cohort!.Name)
                .Select(a => new ScenarioAudienceView(a.CohortId, a.Cohort!.Name)).ToListAsync(cancellationToken)
            : [];
        var collection = canEdit && scenario.JudgingCollectionId is { } collectionId
            ? await db.Collections.Where(c => c.Id == collectionId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new ScenarioOwnership(scenario.Slug, scenario.Title, scenario.Source, Status(scenario), scenario.CurrentVersionNumber,
            owner, scenario.OwnerId == s.UserId, canEdit, ScenarioAccess.CanManageAuthors(scenario, s.Caller), coAuthors, history,
            scenario.PublishedAt is null ? null : scenario.CohortsOnly ? PublishAudiences.Cohorts : PublishAudiences.Library, audience, collection);
    }

    private static void Audit(AuthoringServices s, Scenario scenario, string action)
        => s.Db.ScenarioAudit.Add(new ScenarioAuditEntry
        {
            Id = Guid.CreateVersion7(), ScenarioId = scenario.Id, VersionNumber = scenario.CurrentVersionNumber, Action = action,
            ActorId = s.UserId, At = s.Time.GetUtcNow(),
        });

    private static async Task<string> FreeSlugAsync(TeacherDbContext db, string slug, CancellationToken cancellationToken)
    {
        var stem = (slug.Length > 60 ? slug[..60].TrimEnd('-') : slug) + "-copy";
        if (!await db.Scenarios.AnyAsync(x => x.Slug == stem, cancellationToken)) return stem;
        return $"{stem}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    private static string Status(Scenario scenario)
        => scenario.IsArchived ? ScenarioStatus.Archived : scenario.PublishedAt is not null ? ScenarioStatus.Published : ScenarioStatus.Draft;

    private static ValidationProblem Invalid(IReadOnlyList<ScenarioIssue> issues)
        => TypedResults.ValidationProblem(
            issues.GroupBy(i => i.Path.Length == 0 ? "document" : i.Path).ToDictionary(g => g.Key, g => g.Select(i => i.Message).ToArray()),
            title: "The scenario is not valid");

}

/// <summary>What authoring handlers need: the database, the caller, the clock, the cache, the security log, the validator and versioning.</summary>
public sealed record AuthoringServices(
    [FromServices] TeacherDbContext Db, ClaimsPrincipal User, [FromServices] ILookupNormalizer Normalizer,
    [FromServices] TimeProvider Time, [FromServices] IOutputCacheStore Cache, [FromServices] SecurityLog Log,
    [FromServices] ScenarioValidator Validator, [FromServices] ScenarioVersioning Versioning)
{
    public ScenarioCaller Caller => ScenarioCaller.From(User, Normalizer);
    public Guid UserId => User.GetUserId();
}
