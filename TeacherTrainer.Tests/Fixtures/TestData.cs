using Microsoft.EntityFrameworkCore;
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

    /// <summary>A cohort taught by <paramref name="instructorId"/> with these members.</summary>
    public static async Task<Cohort> AddCohortAsync(TeacherDbContext db, Guid instructorId, params Guid[] members)
    {
        var cohort = new Cohort
        {
            Id = Guid.CreateVersion7(), Name = $"Cohort {Guid.NewGuid().ToString("N")[..6]}", InviteCode = InviteCodes.Create(),
            InstructorId = instructorId, CreatedAt = DateTimeOffset.UtcNow,
        };
        cohort.Members.AddRange(members.Select(m => new CohortMember { CohortId = cohort.Id, UserId = m, JoinedAt = DateTimeOffset.UtcNow }));
        db.Cohorts.Add(cohort);
        await db.SaveChangesAsync();
        return cohort;
    }

    public static async Task<Assignment> AddAssignmentAsync(TeacherDbContext db, Guid cohortId, Guid createdById)
    {
        var scenario = await db.Scenarios.OrderBy(s => s.Slug).FirstAsync();
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
    public static async Task<PracticeSession> AddSessionAsync(TeacherDbContext db, Guid traineeId, Guid? assignmentId = null, int turns = 2)
    {
        var version = await db.ScenarioVersions.Where(v => v.Id == v.Scenario!.CurrentVersionId).OrderBy(v => v.Scenario!.Slug).FirstAsync();
        var state = new PersonaStateValues(0.5, 0.5, 0.5);
        var session = new PracticeSession
        {
            Id = Guid.CreateVersion7(), UserId = traineeId, ScenarioId = version.ScenarioId, ScenarioVersionId = version.Id, AssignmentId = assignmentId,
            Status = SessionStatus.Completed, EndReason = "ended-by-trainee", State = state, TurnCount = turns, OverallScore = 55,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10), EndedAt = DateTimeOffset.UtcNow,
        };
        for (var i = 0; i < turns; i++)
        {
            var turnId = Guid.CreateVersion7();
            session.Turns.Add(new SessionTurn
            {
                Id = turnId, SessionId = session.Id, Index = i, TraineeText = $"I can see this matters to you ({i}).", Move = "validating-feelings",
                MoveConfidence = 0.8, PersonaPrompt = "I don't want to do this.", PersonaReply = "Fine. Whatever.", PersonaReplySource = "reply-bank",
                StateBefore = state, StateAfter = state, Score = 55, CreatedAt = DateTimeOffset.UtcNow,
                Judgement = new Judgement(55, "developing", [new CriterionJudgement(CriterionKey, "Uptake", 40, null, "Builds a little on the student.", 1)], [], "Ask what happened."),
                CriterionScores = [new TurnCriterionScore { TurnId = turnId, CriterionKey = CriterionKey, CriterionName = "Uptake", EngineScore = 40 }],
            });
        }
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session;
    }

    public static async Task<string> AnyScenarioSlugAsync(TeacherDbContext db)
        => await db.Scenarios.OrderBy(s => s.Slug).Select(s => s.Slug).FirstAsync();
}
