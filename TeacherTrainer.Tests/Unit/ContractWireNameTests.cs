using System.Text.Json;
using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// The contracts' closed sets travel as the lower-case words clients already read, with any serializer options
/// (the API adds a camel-case enum converter, the web app and the tests do not), and both sides band a score alike.
/// </summary>
public sealed class ContractWireNameTests
{
    [Theory]
    [InlineData(Band.Excellent, "excellent")]
    [InlineData(Band.Strong, "strong")]
    [InlineData(Band.Developing, "developing")]
    [InlineData(Band.Weak, "weak")]
    [InlineData(Band.Poor, "poor")]
    public void A_band_is_written_and_read_as_its_word(Band band, string wire)
    {
        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(band, options));
            Assert.Equal(band, JsonSerializer.Deserialize<Band>($"\"{wire}\"", options));
        }
        Assert.Equal(wire, band.WireName());
        Assert.True(WireNames.TryParse<Band>(wire, out var parsed));
        Assert.Equal(band, parsed);
    }

    [Fact]
    public void A_session_status_is_written_as_its_word_and_the_web_conveniences_do_not_travel()
    {
        Assert.Equal("\"active\"", JsonSerializer.Serialize(SessionStatus.Active, JsonSerializerOptions.Web));
        Assert.Equal("\"completed\"", JsonSerializer.Serialize(SessionStatus.Completed, JsonSerializerOptions.Web));
        Assert.False(WireNames.TryParse<SessionStatus>("Active", out _));

        var turn = new TurnReview(Guid.NewGuid(), 0, "prompt", "text", "reply", 70, DateTimeOffset.UnixEpoch, [], [],
            RetriedAt: DateTimeOffset.UnixEpoch, EngineScore: 70, Band: Band.Strong);
        var json = JsonSerializer.SerializeToElement(turn, JsonSerializerOptions.Web);
        Assert.Equal("strong", json.GetProperty("band").GetString());
        Assert.False(json.TryGetProperty("retried", out _));
        Assert.True(turn.Retried);
    }

    [Fact]
    public void The_web_bands_a_score_with_the_engines_thresholds()
    {
        for (var score = 0; score <= 100; score++) Assert.Equal(JudgementBands.For(score), Labels.BandOf(score));
        Assert.Equal((Band.Weak, Band.Developing), (JudgementBands.For(JudgementBands.Developing - 1), JudgementBands.For(JudgementBands.Developing)));
        Assert.Equal((Band.Strong, Band.Excellent), (JudgementBands.For(74), JudgementBands.For(75)));
        Assert.Equal("Developing", Labels.Band(Band.Developing));
        Assert.Equal(Band.Poor, Labels.BandNamed("no-such-band"));
    }

    [Theory]
    [InlineData(ExemplarQuality.Expert, "expert")]
    [InlineData(ExemplarQuality.Novice, "novice")]
    [InlineData(ExemplarQuality.Strong, "strong")]
    [InlineData(ExemplarQuality.Acceptable, "acceptable")]
    [InlineData(ExemplarQuality.Poor, "poor")]
    public void A_judgement_stored_before_the_enums_reads_back_the_same(ExemplarQuality quality, string wire)
    {
        // As the database holds judgements (jsonb, written before the contracts had enums).
        var stored = $$"""{"score":62,"band":"strong","criteria":[],"nearestExemplars":[{"text":"Let's keep it safe.","quality":"{{wire}}","similarity":0.7}],"suggestion":"Ask first."}""";
        var judgement = JsonSerializer.Deserialize<Judgement>(stored, JsonSerializerOptions.Web)!;
        Assert.Equal((Band.Strong, quality), (judgement.Band, judgement.NearestExemplars[0].Quality));
        Assert.Equal(quality is ExemplarQuality.Expert or ExemplarQuality.Strong, judgement.NearestExemplars[0].IsExpert);
        var written = JsonSerializer.SerializeToElement(judgement, JsonSerializerOptions.Web);
        Assert.Equal(wire, written.GetProperty("nearestExemplars")[0].GetProperty("quality").GetString());
        Assert.False(written.GetProperty("nearestExemplars")[0].TryGetProperty("isExpert", out _));
    }
}
