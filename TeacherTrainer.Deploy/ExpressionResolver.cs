using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace TeacherTrainer.Deploy;

/// <summary>Where a value that is not written into the manifests comes from.</summary>
public sealed record ValueSource(ValueSourceKind Kind, string ObjectName, string Key)
{
    /// <summary>The name of the helper variable other values refer to as <c>$(NAME)</c>.</summary>
    public string VariableName => $"{Kind.ToString().ToUpperInvariant()}_{Key.Replace('-', '_').ToUpperInvariant()}";

    public V1EnvVarSource ToEnvVarSource() => Kind == ValueSourceKind.Config
        ? new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = ObjectName, Key = Key } }
        : new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = ObjectName, Key = Key } };
}

public enum ValueSourceKind
{
    /// <summary>A secret parameter of the AppHost, in the <c>teachertrainer-secrets</c> Secret.</summary>
    Secret,

    /// <summary>A managed data store's connection string, in the <c>teachertrainer-connections</c> Secret.</summary>
    Connection,

    /// <summary>A non-secret parameter, in the <c>teachertrainer-config</c> ConfigMap.</summary>
    Config,
}

/// <summary>A variable of the app model left out of a container, and why.</summary>
public sealed record OmittedVariable(string Resource, string Name, OmissionReason Reason);

public enum OmissionReason
{
    /// <summary>An https endpoint of a project: TLS ends at the ingress; inside the cluster it is http.</summary>
    HttpsEndpointInsideCluster,

    /// <summary>A host, port or password of a data store that is managed: the app reads only its connection string.</summary>
    DerivedFromManagedDataStore,

    /// <summary>A model server's address when there is none (<see cref="ModelHosting.None"/>): the API embeds in-process.</summary>
    NoModelServer,
}

internal sealed class OmitVariableException(OmissionReason reason) : Exception(reason.ToString())
{
    public OmissionReason Reason { get; } = reason;
}

/// <summary>
/// Turns the manifest's <c>{resource.property}</c> expressions into what a container sees: service
/// names and ports for bindings, and for every parameter a reference to a Secret or ConfigMap key,
/// never its value. A value that mixes text and a secret (a connection string with a password)
/// becomes Kubernetes' dependent variable syntax, <c>$(SECRET_NAME)</c>, over a helper variable
/// that is itself a <c>secretKeyRef</c> placed first in the container's environment.
/// </summary>
internal sealed partial class ExpressionResolver(AspireManifest manifest, DeploymentOptions options)
{
    public const string SecretName = "teachertrainer-secrets";
    public const string ConnectionsSecretName = "teachertrainer-connections";
    public const string ConfigMapName = "teachertrainer-config";

    /// <summary>The port a project listens on in its container image (ASP.NET Core's default, 8080).</summary>
    public const int ProjectPort = 8080;

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Token();

    /// <summary>The resources managed services replace when <see cref="DataStores.Managed"/>: PostgreSQL and Redis.</summary>
    public bool IsManagedDataStore(ManifestResource resource)
        => options.DataStores == DataStores.Managed && IsDataStore(resource);

    public static bool IsDataStore(ManifestResource resource)
        => resource.IsContainer && resource.Image is { } image
           && (image.Contains("postgres", StringComparison.OrdinalIgnoreCase)
               || image.Contains("pgvector", StringComparison.OrdinalIgnoreCase)
               || image.Contains("redis", StringComparison.OrdinalIgnoreCase));

    public static bool IsModelServer(ManifestResource resource)
        => resource.IsContainer && resource.Image is { } image && image.Contains("ollama", StringComparison.OrdinalIgnoreCase);

    /// <summary>A model server, or a model on one, left out because the models run nowhere (<see cref="ModelHosting.None"/>).</summary>
    public bool IsLeftOutModel(ManifestResource resource)
    {
        if (options.Models != ModelHosting.None) return false;
        if (IsModelServer(resource)) return true;
        return resource.Type == "value.v0" && resource.ConnectionString is { } connection
            && Token().Matches(connection).Any(m => manifest.Find(m.Groups[1].Value.Split('.')[0]) is { } referenced && IsLeftOutModel(referenced));
    }

    /// <summary>True when the resource's connection string names a managed data store (the database on a managed server).</summary>
    private bool ConnectsToManagedDataStore(ManifestResource resource)
    {
        if (IsManagedDataStore(resource)) return true;
        if (resource.Type != "value.v0" || resource.ConnectionString is null) return false;
        return Token().Matches(resource.ConnectionString).Any(m =>
            manifest.Find(m.Groups[1].Value.Split('.')[0]) is { } referenced && ConnectsToManagedDataStore(referenced));
    }

    /// <summary>
    /// A connection property Aspire derives for a managed data store (<c>TEACHERDB_HOST</c>,
    /// <c>CACHE_PASSWORD</c>, ...): the provider's connection string replaces them all.
    /// </summary>
    public bool IsDerivedFromManagedDataStore(string variable)
        => !variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
           && manifest.Resources.Any(r => ConnectsToManagedDataStore(r)
               && variable.StartsWith(r.Name.Replace('-', '_').ToUpperInvariant() + "_", StringComparison.Ordinal));

    /// <summary>A parameter of a data store that is managed (its password): not the app's to know.</summary>
    private bool BelongsToManagedDataStore(ManifestResource parameter)
        => manifest.Resources.Any(r => IsManagedDataStore(r)
            && (r.ConnectionString ?? "").Contains($"{{{parameter.Name}.", StringComparison.Ordinal));

    /// <summary>The Secret or ConfigMap key an expression that is exactly one reference stands for, if any.</summary>
    public ValueSource? DirectSource(string expression)
    {
        var match = Token().Match(expression);
        if (!match.Success || match.Length != expression.Length) return null;
        return SourceOf(match.Groups[1].Value);
    }

    private ValueSource? SourceOf(string token)
    {
        var parts = token.Split('.');
        var resource = manifest.Get(parts[0]);
        if (IsLeftOutModel(resource)) throw new OmitVariableException(OmissionReason.NoModelServer);
        var property = string.Join('.', parts.Skip(1));
        if (property == "connectionString" && ConnectsToManagedDataStore(resource))
        {
            return new ValueSource(ValueSourceKind.Connection, ConnectionsSecretName, resource.Name);
        }
        if (property != "value") return null;
        if (resource.IsParameter)
        {
            if (BelongsToManagedDataStore(resource)) throw new OmitVariableException(OmissionReason.DerivedFromManagedDataStore);
            return resource.Secret
                ? new ValueSource(ValueSourceKind.Secret, SecretName, resource.Name)
                : new ValueSource(ValueSourceKind.Config, ConfigMapName, resource.Name);
        }
        // "annotated.string" with filter "uri": the parameter URI-encoded. Kubernetes cannot encode
        // it, so it is the parameter itself; docs/kubernetes.md asks for letters and digits only.
        return resource.Type == "annotated.string" && resource.Value is not null ? DirectSource(resource.Value) : null;
    }

    /// <summary>
    /// The expression as a container's value: literal text, and <c>$(NAME)</c> for each Secret or
    /// ConfigMap value, whose helper variable is added to <paramref name="helpers"/>.
    /// </summary>
    public string Resolve(string expression, IDictionary<string, ValueSource> helpers)
    {
        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in Token().Matches(expression))
        {
            // Kubernetes would expand a literal "$(" itself; "$$(" is its escape.
            result.Append(expression[last..match.Index].Replace("$(", "$$("));
            result.Append(ResolveToken(match.Groups[1].Value, helpers));
            last = match.Index + match.Length;
        }
        result.Append(expression[last..].Replace("$(", "$$("));
        return result.ToString();
    }

    private string ResolveToken(string token, IDictionary<string, ValueSource> helpers)
    {
        if (SourceOf(token) is { } source)
        {
            helpers[source.VariableName] = source;
            return $"$({source.VariableName})";
        }

        var parts = token.Split('.');
        var resource = manifest.Get(parts[0]);
        switch (parts[1])
        {
            case "connectionString":
                return Resolve(resource.ConnectionString
                    ?? throw new InvalidOperationException($"'{resource.Name}' has no connection string."), helpers);
            case "value" when resource.Value is not null:
                return Resolve(resource.Value, helpers);
            case "bindings" when parts.Length == 4:
                if (IsManagedDataStore(resource)) throw new OmitVariableException(OmissionReason.DerivedFromManagedDataStore);
                var binding = resource.Bindings.SingleOrDefault(b => b.Name == parts[2])
                    ?? throw new InvalidOperationException($"'{resource.Name}' has no binding '{parts[2]}'.");
                if (resource.IsProject && binding.Scheme == "https") throw new OmitVariableException(OmissionReason.HttpsEndpointInsideCluster);
                var port = Port(resource, binding);
                return parts[3] switch
                {
                    "host" => resource.Name,
                    "port" or "targetPort" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "scheme" => binding.Scheme,
                    "url" => $"{binding.Scheme}://{resource.Name}:{port}",
                    _ => throw new InvalidOperationException($"Unknown binding property in '{{{token}}}'."),
                };
            default:
                throw new InvalidOperationException($"Cannot translate '{{{token}}}'.");
        }
    }

    public static int Port(ManifestResource resource, ManifestBinding binding)
        => binding.TargetPort ?? (resource.IsProject ? ProjectPort
            : throw new InvalidOperationException($"'{resource.Name}' binding '{binding.Name}' has no target port."));
}
