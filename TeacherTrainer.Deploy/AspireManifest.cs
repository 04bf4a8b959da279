using System.Text.Json;

namespace TeacherTrainer.Deploy;

/// <summary>
/// The Aspire manifest the AppHost writes in publish mode (<c>--publisher manifest</c>): every
/// resource, its type (<c>project.v0</c>, <c>container.v0</c>, <c>parameter.v0</c>, <c>value.v0</c>,
/// <c>annotated.string</c>), image, environment, arguments, volumes, bindings and connection string,
/// with references to other resources as <c>{resource.property}</c> expressions. Read only; the
/// translation into Kubernetes objects is <see cref="KubernetesGenerator"/>.
/// </summary>
public sealed class AspireManifest
{
    private readonly Dictionary<string, ManifestResource> _resources;

    private AspireManifest(Dictionary<string, ManifestResource> resources) => _resources = resources;

    public IReadOnlyCollection<ManifestResource> Resources => _resources.Values;

    public static AspireManifest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var resources = new Dictionary<string, ManifestResource>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.GetProperty("resources").EnumerateObject())
        {
            resources[property.Name] = ManifestResource.From(property.Name, property.Value);
        }
        return new AspireManifest(resources);
    }

    public static AspireManifest Load(string path) => Parse(File.ReadAllText(path));

    public ManifestResource? Find(string name) => _resources.GetValueOrDefault(name);

    public ManifestResource Get(string name)
        => Find(name) ?? throw new InvalidOperationException($"The manifest has no resource '{name}'.");
}

/// <summary>One resource of the manifest, the parts the generator reads.</summary>
public sealed record ManifestResource(
    string Name,
    string Type,
    string? ConnectionString,
    string? Value,
    string? Image,
    string? Entrypoint,
    string? ProjectPath,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyList<ManifestVolume> Volumes,
    IReadOnlyList<ManifestBinding> Bindings,
    bool Secret,
    string? DefaultValue,
    bool GeneratedByDefault,
    string? Filter)
{
    public bool IsProject => Type == "project.v0";
    public bool IsContainer => Type == "container.v0";
    public bool IsParameter => Type == "parameter.v0";

    internal static ManifestResource From(string name, JsonElement element)
    {
        string? Text(string property) => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        var env = new List<KeyValuePair<string, string>>();
        if (element.TryGetProperty("env", out var envElement))
        {
            foreach (var variable in envElement.EnumerateObject()) env.Add(new(variable.Name, variable.Value.GetString() ?? ""));
        }
        var args = element.TryGetProperty("args", out var argsElement)
            ? argsElement.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
            : [];
        var volumes = element.TryGetProperty("volumes", out var volumesElement)
            ? volumesElement.EnumerateArray().Select(v => new ManifestVolume(
                v.GetProperty("name").GetString()!, v.GetProperty("target").GetString()!,
                v.TryGetProperty("readOnly", out var ro) && ro.GetBoolean())).ToList()
            : [];
        var bindings = new List<ManifestBinding>();
        if (element.TryGetProperty("bindings", out var bindingsElement))
        {
            foreach (var binding in bindingsElement.EnumerateObject())
            {
                var b = binding.Value;
                bindings.Add(new ManifestBinding(binding.Name,
                    b.GetProperty("scheme").GetString()!,
                    b.TryGetProperty("targetPort", out var port) ? port.GetInt32() : null,
                    b.TryGetProperty("external", out var external) && external.GetBoolean()));
            }
        }

        var secret = false;
        string? defaultValue = null;
        var generated = false;
        if (element.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("value", out var input))
        {
            secret = input.TryGetProperty("secret", out var s) && s.GetBoolean();
            if (input.TryGetProperty("default", out var @default))
            {
                if (@default.TryGetProperty("value", out var v)) defaultValue = v.GetString();
                generated = @default.TryGetProperty("generate", out _);
            }
        }

        return new ManifestResource(name, Text("type") ?? "", Text("connectionString"), Text("value"), Text("image"),
            Text("entrypoint"), Text("path"), args, env, volumes, bindings, secret, defaultValue, generated, Text("filter"));
    }
}

public sealed record ManifestVolume(string Name, string Target, bool ReadOnly);

/// <summary>An endpoint: <c>external</c> ones are reachable from outside (the ingress).</summary>
public sealed record ManifestBinding(string Name, string Scheme, int? TargetPort, bool External);
