using System.Text;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>The web's reading of a practice turn's server-sent events.</summary>
public sealed class TurnStreamTests
{
    [Fact]
    public async Task Judgement_persona_pieces_and_the_saved_turn_arrive_in_order_and_unknown_events_are_ignored()
    {
        const string stream = """
            event: judgement
            data: {"turnIndex":0,"judgement":{"score":61,"band":"strong","criteria":[],"nearestExemplars":[],"suggestion":"Keep going."},"move":"open-question","moveName":"Open question","alsoDetected":[],"state":{"escalation":0.4,"trust":0.5,"engagement":0.6},"mood":"guarded"}

            event: persona-delta
            data: {"text":"Well"}

            event: heartbeat
            data: {}

            event: persona-delta
            data: {"text":", maybe."}

            event: turn
            data: {"turn":{"id":"01a2109c-1458-78eb-9e59-96b6760f8a16","index":0,"traineeText":"What happened?","move":"open-question","moveName":"Open question","personaPrompt":"No!","personaReply":"Well, maybe.","personaReplySource":"model","stateBefore":{"escalation":0.7,"trust":0.3,"engagement":0.4},"stateAfter":{"escalation":0.4,"trust":0.5,"engagement":0.6},"mood":"guarded","score":61,"judgement":{"score":61,"band":"strong","criteria":[],"nearestExemplars":[],"suggestion":"Keep going."},"criterionScores":[],"createdAt":"2026-11-25T03:00:00Z"},"sessionStatus":"active","endReason":null,"turnsLeft":7}


            """;

        var events = await Read(stream);

        Assert.Collection(events,
            e => Assert.Equal(61, Assert.IsType<TurnEvent.Judged>(e).Value.Judgement.Score),
            e => Assert.Equal("Well", Assert.IsType<TurnEvent.PersonaDelta>(e).Text),
            e => Assert.Equal(", maybe.", Assert.IsType<TurnEvent.PersonaDelta>(e).Text),
            e =>
            {
                var result = Assert.IsType<TurnEvent.Completed>(e).Value;
                Assert.Equal(("Well, maybe.", "model", 7), (result.Turn.PersonaReply, result.Turn.PersonaReplySource, result.TurnsLeft));
            });
    }

    [Fact]
    public async Task A_problem_after_streaming_began_becomes_a_failed_event_with_the_apis_words()
    {
        var events = await Read("""
            event: problem
            data: {"status":503,"title":"Turn not saved","detail":"The reply could not be judged and saved just now; nothing was kept. Send it again."}


            """);

        var failed = Assert.IsType<TurnEvent.Failed>(Assert.Single(events));
        Assert.Equal(503, failed.Problem.Status);
        Assert.Contains("Send it again", failed.Problem.UserMessage);
    }

    private static async Task<List<TurnEvent>> Read(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n")));
        var events = new List<TurnEvent>();
        await foreach (var e in ApiClient.ReadTurnEventsAsync(stream, TestContext.Current.CancellationToken)) events.Add(e);
        return events;
    }
}
