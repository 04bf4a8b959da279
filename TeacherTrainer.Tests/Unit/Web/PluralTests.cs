using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>One helper for every count in the web, so no page says "1 scenarios" or "1 items".</summary>
public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "scenario", "0 scenarios")]
    [InlineData(1, "scenario", "1 scenario")]
    [InlineData(2, "item", "2 items")]
    [InlineData(1, "item", "1 item")]
    [InlineData(1, "user", "1 user")]
    [InlineData(3, "reply", "3 replies")]
    [InlineData(1, "reply", "1 reply")]
    [InlineData(2, "day", "2 days")]
    [InlineData(4, "criterion", "4 criteria")]
    [InlineData(2, "match", "2 matches")]
    [InlineData(1, "failed sign-in", "1 failed sign-in")]
    [InlineData(1200, "turn", "1,200 turns")]
    public void Counts_take_the_singular_only_for_one(int count, string noun, string expected)
        => Assert.Equal(expected, Labels.Plural(count, noun));

    [Fact]
    public void An_irregular_plural_can_be_given()
    {
        Assert.Equal("2 people", Labels.Plural(2, "person", "people"));
        Assert.Equal("1 person", Labels.Plural(1, "person", "people"));
    }
}
