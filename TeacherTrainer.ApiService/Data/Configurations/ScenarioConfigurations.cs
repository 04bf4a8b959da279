using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data.Configurations;

internal sealed class ScenarioConfiguration : IEntityTypeConfiguration<Scenario>
{
    public void Configure(EntityTypeBuilder<Scenario> b)
    {
        b.ToTable("scenarios");
        b.HasIndex(s => s.Slug).IsUnique();
        b.HasIndex(s => new { s.Category, s.GradeBand, s.Difficulty });
        b.Property(s => s.Slug).HasMaxLength(80);
        b.Property(s => s.Title).HasMaxLength(120);
        b.Property(s => s.Category).HasMaxLength(40);
        b.Property(s => s.GradeBand).HasMaxLength(40);
        b.Property(s => s.Difficulty).HasMaxLength(20);
        b.Property(s => s.Source).HasMaxLength(20);
        b.Property(s => s.SearchEmbedding).HasColumnType("vector(384)");
        b.HasIndex(s => s.SearchEmbedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
        b.HasMany(s => s.Versions).WithOne(v => v.Scenario).HasForeignKey(v => v.ScenarioId);
        b.HasIndex(s => s.OwnerId);
        b.HasMany(s => s.CoAuthors).WithOne().HasForeignKey(a => a.ScenarioId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Audiences).WithOne().HasForeignKey(a => a.ScenarioId).OnDelete(DeleteBehavior.Cascade);
        // Deleting a collection detaches it: the scenario is judged against its own rubric again.
        b.HasOne<ExemplarCollection>().WithMany().HasForeignKey(s => s.JudgingCollectionId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ScenarioAudienceConfiguration : IEntityTypeConfiguration<ScenarioAudience>
{
    public void Configure(EntityTypeBuilder<ScenarioAudience> b)
    {
        b.ToTable("scenario_audiences");
        b.HasKey(a => new { a.ScenarioId, a.CohortId });
        b.HasIndex(a => a.CohortId);
        b.HasOne(a => a.Cohort).WithMany().HasForeignKey(a => a.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ScenarioCoAuthorConfiguration : IEntityTypeConfiguration<ScenarioCoAuthor>
{
    public void Configure(EntityTypeBuilder<ScenarioCoAuthor> b)
    {
        b.ToTable("scenario_co_authors");
        b.HasKey(a => new { a.ScenarioId, a.NormalizedEmail });
        b.HasIndex(a => a.NormalizedEmail);
        b.Property(a => a.NormalizedEmail).HasMaxLength(256);
        b.Property(a => a.Email).HasMaxLength(256);
    }
}

internal sealed class ScenarioAuditConfiguration : IEntityTypeConfiguration<ScenarioAuditEntry>
{
    public void Configure(EntityTypeBuilder<ScenarioAuditEntry> b)
    {
        b.ToTable("scenario_audit");
        b.HasOne<Scenario>().WithMany().HasForeignKey(a => a.ScenarioId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.ScenarioId, a.At });
        b.Property(a => a.Action).HasMaxLength(20);
    }
}

internal sealed class ScenarioVersionConfiguration : IEntityTypeConfiguration<ScenarioVersion>
{
    public void Configure(EntityTypeBuilder<ScenarioVersion> b)
    {
        b.ToTable("scenario_versions");
        b.HasIndex(v => new { v.ScenarioId, v.Number }).IsUnique();
        b.Property(v => v.ContentHash).HasMaxLength(64);
        b.Property(v => v.Content).HasJsonb();
        b.HasMany(v => v.Exemplars).WithOne().HasForeignKey(e => e.ScenarioVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ScenarioExemplarConfiguration : IEntityTypeConfiguration<ScenarioExemplarVector>
{
    public void Configure(EntityTypeBuilder<ScenarioExemplarVector> b)
    {
        b.ToTable("scenario_exemplars");
        b.HasIndex(e => new { e.ScenarioVersionId, e.Ordinal }).IsUnique();
        b.Property(e => e.Embedding).HasColumnType("vector(384)");
        b.HasIndex(e => e.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
    }
}
