namespace TeacherTrainer.Deploy;

/// <summary>
/// The committed example under deploy/kubernetes/ (one directory per data-store mode), generated
/// with these options by <c>--example</c>; a test regenerates it and fails when it is stale.
/// </summary>
public static class ExampleDeployment
{
    public const string Directory = "deploy/kubernetes";

    public static string Subdirectory(DataStores mode) => mode == DataStores.InCluster ? "in-cluster" : "managed";

    public static DeploymentOptions Options(DataStores mode) => new()
    {
        DataStores = mode,
        Registry = "registry.example.org/teachertrainer",
        Tag = "1.0.0",
        Host = "teachertrainer.example.org",
        ClusterIssuer = "letsencrypt",
        OtlpEndpoint = "http://otel-collector.monitoring:4317",
        Parameters = new Dictionary<string, string> { ["admin-email"] = "it-admin@example.org" },
    };
}
