using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>Rows written straight to the database, for tests that need a world to act on.</summary>
public static class TestData
{
    public const string CriterionKey = "uptake";

    /// <summary>A cohort taught by <paramref name="instructorId"/> with these members (who joined a day ago, before any session <see cref="AddSessionAsync"/> makes).</summary>
    public static async Task<Cohort> AddCohortAsync(TeacherDbContext db, Guid instructorId, params Guid[] members)
    {
        var cohort = new Cohort
        {
            Id = Guid.CreateVersion7(), Name = $"Cohort {Guid.NewGuid().ToString("N")[..6]}", InviteCode = InviteCodes.Create(),
            InstructorId = instructorId, CreatedAt = DateTimeOffset.UtcNow,
        };
        cohort.Members.AddRange(members.Select(m => new CohortMember { CohortId = cohort.Id, UserId = m, JoinedAt = DateTimeOffset.UtcNow.AddDays(-1) }));
        db.Cohorts.Add(cohort);
        await db.SaveChangesAsync();
        return cohort;
    }

    /// <summary>A member who joined <paramref name="cohortId"/> at <paramref name="joinedAt"/>.</summary>
    public static async Task AddMemberAsync(TeacherDbContext db, Guid cohortId, Guid userId, DateTimeOffset joinedAt)
    {
        db.CohortMembers.Add(new CohortMember { CohortId = cohortId, UserId = userId, JoinedAt = joinedAt });
        await db.SaveChangesAsync();
    }

    /// <summary>A pending invitation to <paramref name="email"/>.</summary>
    public static async Task<CohortInvitation> AddInvitationAsync(TeacherDbContext db, Guid cohortId, string email, Guid invitedById)
    {
        var invitation = new CohortInvitation
        {
            Id = Guid.CreateVersion7(), CohortId = cohortId, Email = email, NormalizedEmail = email.ToUpperInvariant(),
            InvitedById = invitedById, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.CohortInvitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation;
    }

    /// <summary>An assignment of the first library scenario (the one <see cref="AddSessionAsync"/> practises).</summary>
    public static async Task<Assignment> AddAssignmentAsync(TeacherDbContext db, Guid cohortId, Guid createdById)
    {
        var scenario = await db.Scenarios.Where(s => s.Source == "library" && !s.IsArchived).OrderBy(s => s.Slug).FirstAsync();
        var assignment = new Assignment
        {
            Id = Guid.CreateVersion7(), CohortId = cohortId, ScenarioId = scenario.Id, DueAt = DateTimeOffset.UtcNow.AddDays(7),
            Note = "Practise before Friday", CreatedAt = DateTimeOffset.UtcNow, CreatedById = createdById,
        };
        db.Assignments.Add(assignment);
        await db.SaveChangesAsync();
        return assignment;
    }

    /// <summary>A completed practice session of <paramref name="traineeId"/> with scored turns (criterion <see cref="CriterionKey"/> scored 40 by the engine).</summary>
    /// <param name="endReason">How it ended: <c>turn-limit</c> (ran its course) unless told; <c>ended-by-trainee</c> for one cut short.</param>
    public static async Task<PracticeSession> AddSessionAsync(TeacherDbContext db, Guid traineeId, Guid? assignmentId = null, int turns = 2,
        string endReason = "turn-limit", int scenarioIndex = 0, DateTimeOffset? startedAt = null)
    {
        var version = await db.ScenarioVersions.Where(v => v.Id == v.Scenario!.CurrentVersionId && v.Scenario.Source == "library").OrderBy(v => v.Scenario!.Slug).Skip(scenarioIndex).FirstAsync();
        var state = new PersonaStateValues(0.5, 0.5, 0.5);
        var session = new PracticeSession
        {
            Id = Guid.CreateVersion7(), UserId = traineeId, ScenarioId = version.ScenarioId, ScenarioVersionId = version.Id, AssignmentId = assignmentId,
            Status = SessionStatus.Completed, EndReason = endReason, State = state, TurnCount = turns, OverallScore = 55,
            StartedAt = startedAt ?? DateTimeOffset.UtcNow.AddMinutes(-10), EndedAt = (startedAt ?? DateTimeOffset.UtcNow.AddMinutes(-10)).AddMinutes(10),
        };
        for (var i = 0; i < turns; i++)
        {
            var turnId = Guid.CreateVersion7();
            session.Turns.Add(new SessionTurn
            {
                Id = turnId, SessionId = session.Id, Index = i, TraineeText = $"I can see this matters to you ({i}).", Move = "validating-feelings",
                MoveConfidence = 0.8, PersonaPrompt = "I don't want to do this.", PersonaReply = "Fine. Whatever.", PersonaReplySource = "reply-bank",
                StateBefore = state, StateAfter = state, Score = 55, CreatedAt = DateTimeOffset.UtcNow,
                Judgement = new Judgement(55, Band.Developing, [new CriterionJudgement(CriterionKey, "Uptake", 40, null, "Builds a little on the student.", 1)], [], "Ask what happened."),
                CriterionScores = [new TurnCriterionScore { TurnId = turnId, CriterionKey = CriterionKey, CriterionName = "Uptake", EngineScore = 40 }],
            });
        }
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session;
    }

    /// <summary>An exemplar collection owned by <paramref name="ownerId"/> with one item (a fixed vector: no model needed), shared with these cohorts.</summary>
    public static async Task<string> AddCollectionAsync(TeacherDbContext db, Guid ownerId, params Guid[] sharedWith)
    {
        var name = $"coll-{Guid.NewGuid():N}"[..24];
        var vector = new Pgvector.Vector(Enumerable.Range(0, 384).Select(i => i == 0 ? 1f : 0f).ToArray());
        var collection = new ExemplarCollection { Id = Guid.CreateVersion7(), Name = name, OwnerId = ownerId, ItemCount = 1, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Collections.Add(collection);
        db.CollectionItems.Add(new CollectionItem
        {
            Id = Guid.CreateVersion7(), CollectionId = collection.Id, Ordinal = 0, Context = [new ContextTurn("student", "I got 12.")],
            Response = "How did you get 12?", Quality = "expert", ContextEmbedding = vector, ResponseEmbedding = vector,
        });
        db.CollectionShares.AddRange(sharedWith.Select(c => new CollectionShare { CollectionId = collection.Id, CohortId = c, SharedAt = DateTimeOffset.UtcNow, SharedById = ownerId }));
        await db.SaveChangesAsync();
        return name;
    }

    /// <summary>
    /// A new scenario whose content is a library scenario's (rows copied, embeddings included, so no
    /// model runs): <paramref name="source"/> <c>library</c> (published, no owner) or <c>authored</c>
    /// (owned by <paramref name="ownerId"/>, a draft unless <paramref name="published"/>), with these co-authors' emails.
    /// </summary>
    public static async Task<string> CloneScenarioAsync(TeacherDbContext db, string source, Guid? ownerId, bool published, params string[] coAuthorEmails)
    {
        var template = await db.ScenarioVersions.AsNoTracking().Include(v => v.Exemplars).Include(v => v.Scenario)
            .Where(v => v.Id == v.Scenario!.CurrentVersionId && v.Scenario.Source == "library").OrderBy(v => v.Scenario!.Slug).FirstAsync();
        var slug = $"{source[..3]}-{Guid.NewGuid():N}"[..24];
        var now = DateTimeOffset.UtcNow;
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(), Slug = slug, Title = template.Content.Title, Category = template.Content.Category, GradeBand = template.Content.GradeBand,
            Difficulty = template.Content.Difficulty, Summary = template.Content.Summary, Source = source, OwnerId = ownerId,
            // No search vector: hundreds of published copies made by the matrix would otherwise tie with
            // their library original in every search by meaning (they sort last without one).
            PublishedAt = published ? now : null, CreatedAt = now, UpdatedAt = now, SearchEmbedding = null, CurrentVersionNumber = 1,
        };
        var version = new ScenarioVersion
        {
            Id = Guid.CreateVersion7(), ScenarioId = scenario.Id, Number = 1, ContentHash = template.ContentHash,
            Content = template.Content with { Slug = slug }, CreatedAt = now, CreatedById = ownerId,
        };
        version.Exemplars.AddRange(template.Exemplars.Select(e => new ScenarioExemplarVector
        {
            Id = Guid.CreateVersion7(), ScenarioVersionId = version.Id, Ordinal = e.Ordinal, Text = e.Text, Rating = e.Rating, Rationale = e.Rationale,
            After = e.After, Embedding = e.Embedding,
        }));
        scenario.CurrentVersionId = version.Id;
        scenario.CoAuthors.AddRange(coAuthorEmails.Select(e => new ScenarioCoAuthor
        {
            ScenarioId = scenario.Id, Email = e, NormalizedEmail = e.ToUpperInvariant(), AddedAt = now, AddedById = ownerId ?? Guid.Empty,
        }));
        db.Scenarios.Add(scenario);
        db.ScenarioVersions.Add(version);
        await db.SaveChangesAsync();
        return slug;
    }

    /// <summary>A copy of a library scenario under a new slug, a draft of <paramref name="ownerId"/> (so tests may publish and archive it), and its document.</summary>
    public static async Task<(string Slug, System.Text.Json.Nodes.JsonObject Document)> AddAuthoredScenarioAsync(IServiceProvider services, Guid? ownerId = null)
    {
        var db = services.GetRequiredService<TeacherDbContext>();
        var source = await db.ScenarioVersions.Where(v => v.Id == v.Scenario!.CurrentVersionId && v.Scenario.Source == "library").OrderBy(v => v.Scenario!.Slug).Select(v => v.Content).FirstAsync();
        var slug = $"authored-{Guid.NewGuid():N}"[..24];
        var document = source with { Slug = slug, Title = source.Title + " (copy)" };
        await services.GetRequiredService<ScenarioVersioning>().StageAsync([(document, "authored")], ownerId, CancellationToken.None);
        await db.SaveChangesAsync();
        var json = System.Text.Json.JsonSerializer.SerializeToNode(document, ScenarioDocument.JsonOptions)!.AsObject();
        return (slug, json);
    }

    public static async Task<string> AnyScenarioSlugAsync(TeacherDbContext db)
        => await db.Scenarios.Where(s => s.Source == "library" && !s.IsArchived).OrderBy(s => s.Slug).Select(s => s.Slug).FirstAsync();
}
