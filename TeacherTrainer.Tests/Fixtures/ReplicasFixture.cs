namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The system of <see cref="SystemOptions.Replicated"/>: two replicas of the API and two of the web front end
/// (<c>Replicas:Api=2</c>, <c>Replicas:Web=2</c>), on a fresh database and a private Redis.
/// Security stamps are cached for 2 s (not 15) so revocation across replicas is quick to observe.
/// </summary>
public sealed class ReplicasFixture() : SystemFixture(SystemOptions.Replicated)
{
    public const int Replicas = 2;
    public static readonly TimeSpan StampCache = TimeSpan.FromSeconds(2);

    /// <summary>Short, so a test can wait out the window in which a just-used refresh token is still honoured (two tabs).</summary>
    public static readonly TimeSpan RefreshGrace = TimeSpan.FromSeconds(2);
}

[CollectionDefinition(Name)]
public sealed class ReplicasCollection : ICollectionFixture<ReplicasFixture>
{
    public const string Name = "replicas";
}
