namespace TeacherTrainer.ApiService.Simulation;

/// <summary>The simulated persona: what the feature registers (it has no endpoints of its own).</summary>
public static class SimulationFeature
{
    public static IHostApplicationBuilder AddSimulation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PersonaVoice>();
        builder.Services.AddSingleton<PersonaModelCache>();
        return builder;
    }
}
