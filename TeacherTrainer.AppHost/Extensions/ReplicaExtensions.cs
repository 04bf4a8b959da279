using Microsoft.Extensions.Configuration;

namespace TeacherTrainer.AppHost.Extensions;

public static class ReplicaExtensions
{
    /// <summary>
    /// Runs a project as several replicas when <c>Replicas:{name}</c> (for example <c>Replicas:Api=2</c>)
    /// is above one. Safe for the API and the web front end: neither keeps state of its own between
    /// requests (sessions and refresh tokens live in PostgreSQL, access tokens are signed JWTs, the
    /// web's data-protection keys and sign-in tickets live in the sessions Redis, the output cache in the cache Redis).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(this IResourceBuilder<ProjectResource> project, string name)
    {
        var replicas = project.ApplicationBuilder.Configuration.GetValue($"Replicas:{name}", 1);
        return replicas > 1 ? project.WithReplicas(replicas) : project;
    }
}
