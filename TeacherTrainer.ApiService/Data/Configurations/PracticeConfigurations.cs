using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data.Configurations;

internal sealed class PracticeSessionConfiguration : IEntityTypeConfiguration<PracticeSession>
{
    public void Configure(EntityTypeBuilder<PracticeSession> b)
    {
        b.ToTable("practice_sessions");
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Scenario>().WithMany().HasForeignKey(s => s.ScenarioId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(s => s.ScenarioVersion).WithMany().HasForeignKey(s => s.ScenarioVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.UserId, s.StartedAt });
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.EndReason).HasMaxLength(30);
        b.Property(s => s.Reflection).HasMaxLength(8000);
        b.Property(s => s.State).HasJsonb();
        b.Property(s => s.Version).IsRowVersion();
        b.HasMany(s => s.Turns).WithOne().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SessionTurnConfiguration : IEntityTypeConfiguration<SessionTurn>
{
    public void Configure(EntityTypeBuilder<SessionTurn> b)
    {
        b.ToTable("session_turns");
        // Unique among the turns that count: a retried turn keeps its index and the next turn takes the same one.
        b.HasIndex(t => new { t.SessionId, t.Index }).IsUnique().HasFilter("retried_at IS NULL");
        b.Property(t => t.Move).HasMaxLength(30);
        b.Property(t => t.PersonaReplySource).HasMaxLength(30);
        b.Property(t => t.StateBefore).HasJsonb();
        b.Property(t => t.StateAfter).HasJsonb();
        b.Property(t => t.Judgement).HasJsonb();
        b.HasMany(t => t.CriterionScores).WithOne().HasForeignKey(c => c.TurnId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TurnCriterionScoreConfiguration : IEntityTypeConfiguration<TurnCriterionScore>
{
    public void Configure(EntityTypeBuilder<TurnCriterionScore> b)
    {
        b.ToTable("turn_criterion_scores");
        b.HasKey(c => new { c.TurnId, c.CriterionKey });
        b.Property(c => c.CriterionKey).HasMaxLength(60);
        b.Property(c => c.CriterionName).HasMaxLength(120);
        b.Ignore(c => c.EffectiveScore);
    }
}
