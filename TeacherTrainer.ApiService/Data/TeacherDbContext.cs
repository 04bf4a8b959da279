using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Review;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data;

public sealed class TeacherDbContext(DbContextOptions<TeacherDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Scenario> Scenarios => Set<Scenario>();
    public DbSet<ScenarioVersion> ScenarioVersions => Set<ScenarioVersion>();
    public DbSet<ScenarioExemplarVector> ScenarioExemplars => Set<ScenarioExemplarVector>();
    public DbSet<ScenarioCoAuthor> ScenarioCoAuthors => Set<ScenarioCoAuthor>();
    public DbSet<ScenarioAudience> ScenarioAudiences => Set<ScenarioAudience>();
    public DbSet<ScenarioAuditEntry> ScenarioAudit => Set<ScenarioAuditEntry>();
    public DbSet<ExemplarCollection> Collections => Set<ExemplarCollection>();
    public DbSet<CollectionItem> CollectionItems => Set<CollectionItem>();
    public DbSet<CollectionShare> CollectionShares => Set<CollectionShare>();
    public DbSet<PracticeSession> Sessions => Set<PracticeSession>();
    public DbSet<SessionTurn> Turns => Set<SessionTurn>();
    public DbSet<TurnCriterionScore> TurnCriterionScores => Set<TurnCriterionScore>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<CohortMember> CohortMembers => Set<CohortMember>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<CohortInvitation> CohortInvitations => Set<CohortInvitation>();
    public DbSet<SessionShare> SessionShares => Set<SessionShare>();
    public DbSet<TurnComment> TurnComments => Set<TurnComment>();
    public DbSet<ScoreOverrideAudit> ScoreOverrideAudits => Set<ScoreOverrideAudit>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("vector");
        builder.ApplyConfigurationsFromAssembly(typeof(TeacherDbContext).Assembly);
    }
}
