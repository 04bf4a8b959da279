namespace TeacherTrainer.Tests.Fixtures;

/// <summary>The system of <see cref="SystemOptions.AppHost"/>, started once for the run; end-to-end and browser tests share it.</summary>
public sealed class AppHostFixture() : SystemFixture(SystemOptions.AppHost)
{
    public const string AdminEmail = "admin@e2e.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();
}
