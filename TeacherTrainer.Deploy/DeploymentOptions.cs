namespace TeacherTrainer.Deploy;

/// <summary>Where PostgreSQL and the two Redis servers come from.</summary>
public enum DataStores
{
    /// <summary>StatefulSets in the cluster with volume claims, from the AppHost's own containers.</summary>
    InCluster,

    /// <summary>Managed services, given as connection strings in the <c>teachertrainer-connections</c> Secret.</summary>
    Managed,
}

/// <summary>Where the language and embedding models run.</summary>
public enum ModelHosting
{
    /// <summary>The AppHost's Ollama, on a GPU node pool; the API embeds and the persona speaks through it.</summary>
    GpuPool,

    /// <summary>
    /// No model server: the API embeds in-process on its own cores (<c>AI__Provider=Embedded</c>, the
    /// mode docs/performance.md measures) and every persona speaks from its reply bank.
    /// </summary>
    None,
}

/// <summary>What the application model cannot know about a cluster: images, host name, networks, sizes.</summary>
public sealed record DeploymentOptions
{
    public DataStores DataStores { get; init; } = DataStores.InCluster;

    public ModelHosting Models { get; init; } = ModelHosting.GpuPool;

    /// <summary>Where <c>dotnet publish /t:PublishContainer</c> pushed the project images.</summary>
    public string Registry { get; init; } = "registry.example.org/teachertrainer";

    public string Tag { get; init; } = "1.0.0";

    /// <summary>The public host name of the web front end (the Ingress rule and its certificate).</summary>
    public string Host { get; init; } = "teachertrainer.example.org";

    /// <summary>cert-manager's ClusterIssuer; when null the TLS Secret is given (created by hand).</summary>
    public string? ClusterIssuer { get; init; }

    public string TlsSecretName { get; init; } = "teachertrainer-tls";

    public string IngressClass { get; init; } = "nginx";

    /// <summary>
    /// The pod network (CIDR): the only addresses whose X-Forwarded-For and X-Forwarded-Proto the API
    /// (from the web) and the web (from the ingress controller) believe.
    /// </summary>
    public string PodNetwork { get; init; } = "10.244.0.0/16";

    public int ApiMinReplicas { get; init; } = 2;
    public int ApiMaxReplicas { get; init; } = 10;

    /// <summary>Average CPU of the API pods (share of their request) the autoscaler keeps them at; see docs/scaling.md.</summary>
    public int ApiTargetCpuPercent { get; init; } = 60;

    public int WebReplicas { get; init; } = 2;

    /// <summary>
    /// The OpenTelemetry collector (OTLP) the API and web send logs, traces and metrics to; null: none
    /// (ServiceDefaults exports only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).
    /// </summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>The storage class of the volume claims; null: the cluster's default.</summary>
    public string? StorageClass { get; init; }

    /// <summary>The node label that marks the GPU pool Ollama runs on.</summary>
    public KeyValuePair<string, string> GpuNodeLabel { get; init; } = new("nvidia.com/gpu.present", "true");

    /// <summary>
    /// Values of the non-secret parameters (for example <c>admin-email</c>), written into the
    /// ConfigMap. Secret parameters are refused: they are only ever referenced.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}
