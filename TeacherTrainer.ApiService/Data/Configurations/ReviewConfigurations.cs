using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Review;

namespace TeacherTrainer.ApiService.Data.Configurations;

internal sealed class TurnCommentConfiguration : IEntityTypeConfiguration<TurnComment>
{
    public void Configure(EntityTypeBuilder<TurnComment> b)
    {
        b.ToTable("turn_comments");
        b.HasOne<SessionTurn>().WithMany().HasForeignKey(c => c.TurnId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PracticeSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.SessionId, c.CreatedAt });
        b.Property(c => c.Text).HasMaxLength(2000);
    }
}

internal sealed class ScoreOverrideAuditConfiguration : IEntityTypeConfiguration<ScoreOverrideAudit>
{
    public void Configure(EntityTypeBuilder<ScoreOverrideAudit> b)
    {
        b.ToTable("score_override_audit");
        b.HasOne<PracticeSession>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(a => a.ChangedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.SessionId, a.ChangedAt });
        b.Property(a => a.CriterionKey).HasMaxLength(60);
        b.Property(a => a.Reason).HasMaxLength(500);
    }
}
