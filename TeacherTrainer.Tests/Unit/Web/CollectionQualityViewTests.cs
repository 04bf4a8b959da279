using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.Web.Components.Pages.Teach.Collections;
using TeacherTrainer.Web.Components.Shared;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>bUnit tests of the collection quality view (the chart, its figures, the mislabelled items) and of a judgement naming its collection.</summary>
public sealed class CollectionQualityViewTests : BunitContext
{
    public CollectionQualityViewTests() => Services.AddSingleton(TimeProvider.System);

    private static CollectionQualityReport Report() => new(
        "maths-talk", DateTimeOffset.UnixEpoch, 13, 7, 6, 20, 36 / 42.0, 0.8571, 85.7, 16.7,
        [.. Enumerable.Range(0, 10).Select(b => new QualityBin(b * 10, b * 10 + 10, b == 9 ? 6 : b == 0 ? 1 : 0, b == 1 ? 6 : 0))],
        1, [new SuspectItem(12, "I got 12.", "Just copy the answer <b>now</b>.", "expert", 0, 5, 0)]);

    [Fact]
    public void The_chart_has_a_bar_per_label_and_band_with_its_figures_in_words()
    {
        var cut = Render<CollectionQualityView>(p => p.Add(c => c.Report, Report()));

        var svg = cut.Find("svg[data-testid=quality-chart]");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal(10, cut.FindAll("rect[data-testid=bar-expert]").Count);
        Assert.Equal(10, cut.FindAll("rect[data-testid=bar-novice]").Count);
        // Drawn to scale: the tallest bars (6) are taller than the single expert near 0, and empty bands have none.
        double Height(string selector) => double.Parse(cut.Find(selector).GetAttribute("height")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cut.FindAll("rect[data-testid=bar-expert]")[9].GetAttribute("height") is { } tall && double.Parse(tall, System.Globalization.CultureInfo.InvariantCulture) > Height("rect[data-testid=bar-expert]"));
        Assert.Equal("0", cut.FindAll("rect[data-testid=bar-expert]")[5].GetAttribute("height"));
        Assert.Contains("90 to 100: 6 expert, 0 novice", cut.Find("desc").TextContent);
        Assert.Equal("86% of 42 expert–novice pairs", cut.Find("[data-testid=pairs-ordered-right]").TextContent);
        Assert.StartsWith("0.86", cut.Find("[data-testid=auc]").TextContent);
        Assert.Equal(10, cut.FindAll("[data-testid=quality-table] tbody tr").Count);
    }

    [Fact]
    public void Mislabelled_items_are_listed_with_their_text_label_and_vote_as_text()
    {
        var cut = Render<CollectionQualityView>(p => p.Add(c => c.Report, Report()));

        var row = cut.Find("[data-testid=suspect]");
        Assert.Equal("expert", row.QuerySelector("[data-testid=suspect-label]")!.TextContent);
        Assert.Equal("Just copy the answer <b>now</b>.", row.QuerySelector("[data-testid=suspect-response]")!.TextContent);
        Assert.StartsWith("0 of 5 labelled expert", row.QuerySelector("[data-testid=suspect-vote]")!.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=suspect-response] b"));
    }

    [Fact]
    public void A_judgement_against_a_collection_names_it()
    {
        var judgement = WebSamples.Judgement() with { Score = 78, Basis = "collection", BasisReference = "maths-talk" };
        var cut = Render<JudgementPanel>(p => p.Add(c => c.Judgement, judgement));
        Assert.Equal("Compared with maths-talk: closer to its expert replies", cut.Find("[data-testid=judged-against]").TextContent.Trim().ReplaceLineEndings(" ").Replace("  ", " "));

        var scenario = Render<JudgementPanel>(p => p.Add(c => c.Judgement, WebSamples.Judgement()));
        Assert.Empty(scenario.FindAll("[data-testid=judged-against]"));
    }
}
