namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The system of <see cref="SystemOptions.Faults"/>: against a private PostgreSQL cluster, a private
/// redis-server and an in-test Ollama, which the fault tests may break. Nothing the rest of the suite shares is stopped.
/// </summary>
public sealed class FaultsFixture() : SystemFixture(SystemOptions.Faults)
{
    public const double PersonaTimeoutSeconds = 2;
    public const string AdminEmail = "admin@faults.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();
}

[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "faults";
}
