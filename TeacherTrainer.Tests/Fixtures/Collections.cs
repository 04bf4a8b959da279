namespace TeacherTrainer.Tests.Fixtures;

/// <summary>Tests against the ApiService in-process (one database, one server for the whole run).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

/// <summary>Tests against the whole system started by the AppHost (started once for the run).</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "apphost";
}

/// <summary>Tests of rate limits and token expiry, against an API with production-like limits (<see cref="LimitedApiFactory"/>).</summary>
[CollectionDefinition(Name)]
public sealed class LimitedApiCollection : ICollectionFixture<LimitedApiFactory>
{
    public const string Name = "api-limited";
}

/// <summary>Tests of the language-model persona, against an API whose models are an in-test Ollama (<see cref="OllamaApiFactory"/>).</summary>
[CollectionDefinition(Name)]
public sealed class OllamaApiCollection : ICollectionFixture<OllamaApiFactory>
{
    public const string Name = "api-ollama";
}

/// <summary>Tests that need the API on real Kestrel (<see cref="KestrelApiFactory"/>).</summary>
[CollectionDefinition(Name)]
public sealed class KestrelApiCollection : ICollectionFixture<KestrelApiFactory>
{
    public const string Name = "api-kestrel";
}
