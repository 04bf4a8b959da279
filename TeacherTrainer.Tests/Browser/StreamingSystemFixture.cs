using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The system of <see cref="SystemOptions.Streaming"/>: an Ollama that "already runs", the in-test
/// <see cref="FakeOllamaServer"/>, which streams its persona reply a word at a time (and embeds with the
/// real all-MiniLM-L6-v2). Only here does a persona reply reach the browser token by token, as it does
/// with Llama; the embedded mode answers from the reply bank at once.
/// </summary>
public sealed class StreamingSystemFixture() : SystemFixture(SystemOptions.Streaming)
{
    public const string PersonaReply = "Fine. But if it goes on the shelf, nobody is allowed to touch it. Not even Amara. Promise?";
}

[CollectionDefinition(Name)]
public sealed class StreamingSystemCollection : ICollectionFixture<StreamingSystemFixture>
{
    public const string Name = "apphost-streaming";
}
