using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeacherTrainer.ApiService.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service (it connects to nothing).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TeacherDbContext>
{
    public TeacherDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<TeacherDbContext>()
            .UseNpgsql("Host=design-time-only", npgsql => npgsql.UseVector().MigrationsHistoryTable("__ef_migrations"))
            .UseSnakeCaseNamingConvention()
            .Options);
}
