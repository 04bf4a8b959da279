using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data.Configurations;

internal sealed class CohortConfiguration : IEntityTypeConfiguration<Cohort>
{
    public void Configure(EntityTypeBuilder<Cohort> b)
    {
        b.ToTable("cohorts");
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.InstructorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => c.InviteCode).IsUnique();
        b.HasIndex(c => c.InstructorId);
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Description).HasMaxLength(1000);
        b.Property(c => c.InviteCode).HasMaxLength(16);
        b.HasMany(c => c.Members).WithOne().HasForeignKey(m => m.CohortId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ExemplarCollection>().WithMany().HasForeignKey(c => c.JudgingCollectionId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(c => c.Assignments).WithOne().HasForeignKey(a => a.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CohortMemberConfiguration : IEntityTypeConfiguration<CohortMember>
{
    public void Configure(EntityTypeBuilder<CohortMember> b)
    {
        b.ToTable("cohort_members");
        b.HasKey(m => new { m.CohortId, m.UserId });
        b.HasIndex(m => m.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> b)
    {
        b.ToTable("assignments");
        b.HasIndex(a => new { a.CohortId, a.DueAt });
        b.HasOne<Scenario>().WithMany().HasForeignKey(a => a.ScenarioId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(a => a.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.Property(a => a.Note).HasMaxLength(1000);
        // Sessions practised for an assignment keep their results when it is withdrawn.
        b.HasMany<PracticeSession>().WithOne().HasForeignKey(s => s.AssignmentId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CohortInvitationConfiguration : IEntityTypeConfiguration<CohortInvitation>
{
    public void Configure(EntityTypeBuilder<CohortInvitation> b)
    {
        b.ToTable("cohort_invitations");
        // One pending invitation per email per cohort: inviting again refreshes it.
        b.HasIndex(i => new { i.CohortId, i.NormalizedEmail }).IsUnique();
        b.HasIndex(i => i.NormalizedEmail);
        b.Property(i => i.Email).HasMaxLength(254);
        b.Property(i => i.NormalizedEmail).HasMaxLength(254);
        b.HasOne<Cohort>().WithMany().HasForeignKey(i => i.CohortId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(i => i.InvitedById).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SessionShareConfiguration : IEntityTypeConfiguration<SessionShare>
{
    public void Configure(EntityTypeBuilder<SessionShare> b)
    {
        b.ToTable("session_shares");
        b.HasKey(x => new { x.SessionId, x.CohortId });
        b.HasIndex(x => x.CohortId);
        b.HasOne<PracticeSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Cohort>().WithMany().HasForeignKey(x => x.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}
