using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Data.Configurations;

internal sealed class ExemplarCollectionConfiguration : IEntityTypeConfiguration<ExemplarCollection>
{
    public void Configure(EntityTypeBuilder<ExemplarCollection> b)
    {
        b.ToTable("collections");
        b.HasIndex(c => c.Name).IsUnique();
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Description).HasMaxLength(2000);
        b.HasIndex(c => c.OwnerId);
    }
}

internal sealed class CollectionShareConfiguration : IEntityTypeConfiguration<CollectionShare>
{
    public void Configure(EntityTypeBuilder<CollectionShare> b)
    {
        b.ToTable("collection_shares");
        b.HasKey(s => new { s.CollectionId, s.CohortId });
        b.HasIndex(s => s.CohortId);
        b.HasOne<ExemplarCollection>().WithMany().HasForeignKey(s => s.CollectionId).OnDelete(DeleteBehavior.Cascade);
        // A deleted cohort takes its shares with it.
        b.HasOne<Cohort>().WithMany().HasForeignKey(s => s.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CollectionItemConfiguration : IEntityTypeConfiguration<CollectionItem>
{
    public void Configure(EntityTypeBuilder<CollectionItem> b)
    {
        b.ToTable("collection_items");
        b.HasOne<ExemplarCollection>().WithMany().HasForeignKey(i => i.CollectionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.CollectionId, i.Ordinal });
        b.Property(i => i.Context).HasJsonb();
        b.Property(i => i.Quality).HasMaxLength(10);
        b.Property(i => i.ContextEmbedding).HasColumnType("vector(384)");
        b.Property(i => i.ResponseEmbedding).HasColumnType("vector(384)");
        b.HasIndex(i => i.ContextEmbedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
        b.HasIndex(i => i.ResponseEmbedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
    }
}
