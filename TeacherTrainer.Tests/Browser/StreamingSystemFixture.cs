using Aspire.Hosting;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The whole system again, in existing-services mode, but with an Ollama that "already runs": the
/// in-test <see cref="FakeOllamaServer"/>, which streams its persona reply a word at a time (and
/// embeds with the real all-MiniLM-L6-v2). Only here does a persona reply reach the browser
/// token by token, as it does with Llama; the embedded mode answers from the reply bank at once.
/// </summary>
public sealed class StreamingSystemFixture : IAsyncLifetime
{
    public const string PersonaReply = "Fine. But if it goes on the shelf, nobody is allowed to touch it. Not even Amara. Promise?";

    public DistributedApplication App { get; private set; } = null!;
    public FakeOllamaServer Ollama { get; private set; } = null!;
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        Ollama = await FakeOllamaServer.StartAsync();
        Ollama.ChatReply = _ => PersonaReply;
        Ollama.TokenDelay = TimeSpan.FromMilliseconds(150);
        _database = await TestEnvironment.CreateDatabaseAsync("stream");
        var redis = await TestEnvironment.CreateRedisDatabaseAsync();
        var builder = await SystemUnderTest.CreateBuilderAsync(new SystemServices(
            _database, redis, "admin@stream.local", TestEnvironment.NewPassword(), Ollama.Endpoint));
        App = await SystemUnderTest.StartAsync(builder, TimeSpan.FromMinutes(4), "apiservice", "webfrontend");
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Ollama is not null) await Ollama.DisposeAsync();
        if (_database.Length > 0) await TestEnvironment.DropDatabaseAsync(_database);
    }
}

[CollectionDefinition(Name)]
public sealed class StreamingSystemCollection : ICollectionFixture<StreamingSystemFixture>
{
    public const string Name = "apphost-streaming";
}
