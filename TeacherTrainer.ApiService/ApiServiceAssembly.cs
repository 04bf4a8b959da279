namespace TeacherTrainer.ApiService;

/// <summary>Names this assembly for <c>WebApplicationFactory</c> (the AppHost also has a <c>Program</c>).</summary>
public sealed class ApiServiceAssembly;
