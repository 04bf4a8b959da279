namespace TeacherTrainer.AppHost.Extensions;

public static class DevelopmentCommands
{
    /// <summary>
    /// Dashboard buttons for development: re-seed the scenario library from the content files.
    /// The API only honours it for an administrator token or in Development (see ApiService Admin/).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentCommands(this IResourceBuilder<ProjectResource> api)
    {
        if (!api.ApplicationBuilder.ExecutionContext.IsRunMode) return api;
        return api.WithHttpCommand("/api/dev/reseed", "Re-seed scenario library",
            commandOptions: new HttpCommandOptions
            {
                Description = "Reloads the scenario JSON files; changed scenarios get a new version.",
                IconName = "ArrowSync",
                Method = HttpMethod.Post,
            });
    }
}
