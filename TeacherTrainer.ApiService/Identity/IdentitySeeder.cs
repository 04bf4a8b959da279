using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>The first administrator (configuration section <c>Bootstrap</c>; the AppHost's admin-email and admin-password parameters).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>
/// Start-up seeding step: the three roles, and the first administrator when
/// <c>Bootstrap:AdminEmail</c> names no account yet. An existing account is never changed (its
/// password is not reset). A bootstrap password that breaks the password rules stops the start-up.
/// </summary>
public sealed class IdentitySeeder(
    UserManager<AppUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<BootstrapOptions> bootstrap,
    TimeProvider time,
    IHostEnvironment environment,
    ILogger<IdentitySeeder> logger) : IDbSeeder<TeacherDbContext>
{
    public async Task SeedAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Ensure(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), $"create role {role}");
        }

        var email = bootstrap.Value.AdminEmail?.Trim();
        var password = bootstrap.Value.AdminPassword;
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
        {
            if (await context.UserRoles.AnyAsync(cancellationToken)) return;
            // A production system nobody can administer (no instructor can ever be made) is refused at once.
            if (environment.IsProduction())
                throw new InvalidOperationException(
                    "Bootstrap:AdminEmail and Bootstrap:AdminPassword (Bootstrap__AdminEmail, Bootstrap__AdminPassword) must be set: " +
                    "the database has no user yet, so without them nobody could administer this system. See docs/operations.md.");
            logger.LogWarning("Bootstrap:AdminEmail / Bootstrap:AdminPassword are not set and there is no user yet: nobody can administer this system");
            return;
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            logger.LogInformation("Bootstrap administrator {Email} already exists", email);
            return;
        }
        var admin = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = "Administrator", CreatedAt = time.GetUtcNow(),
        };
        Ensure(await users.CreateAsync(admin, password), "create the bootstrap administrator (Bootstrap:AdminEmail / Bootstrap:AdminPassword)");
        Ensure(await users.AddToRoleAsync(admin, Roles.Admin), "make the bootstrap user an administrator");
        logger.LogInformation("Created the bootstrap administrator {Email}", email);
    }

    private static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
