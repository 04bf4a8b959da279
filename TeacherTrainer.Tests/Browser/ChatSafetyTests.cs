using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>What anyone types is shown as text, everywhere it is shown, and never runs.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ChatSafetyTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Hostile =
        "<b id=\"tt-bold\">bold</b><script>window.ttPwned = 'script'</script><img src=x onerror=\"window.ttPwned = 'img'; alert('img')\">"
        + "<a href=\"javascript:alert('link')\">click</a> {{7*7}} @(1+1)";

    [Fact]
    public async Task A_chat_message_holding_html_and_script_is_shown_as_text_and_runs_nothing()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("<i>Mallory</i>", ApiSetup.NewEmail("mallory"), ApiSetup.Password);
        // Even the name is text.
        await Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("<i>Mallory</i>");

        await web.StartSessionAsync("year1-lego-rocket-tidy-up-refusal");
        await TraineeJourneyTests.SendAsync(page, Hostile);

        await AssertShownAsTextAsync(page, page.GetByTestId("trainee-text").Last);
        await AssertShownAsTextAsync(page, page.GetByTestId("judgement").GetByTestId("evidence-text"));
        await web.ScreenshotAsync("practice-hostile-text", fullPage: false);

        // And in the summary's transcript.
        await TraineeJourneyTests.EndSessionAsync(page);
        await web.ReadyAsync();
        await AssertShownAsTextAsync(page, page.GetByTestId("transcript-turn").First.GetByTestId("evidence-text"));

        Assert.Empty(web.Dialogs);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.ttPwned ?? null"));
        Assert.Equal(0, await page.Locator("#tt-bold").CountAsync());
        Assert.Equal(0, await page.Locator("main script, main img[src=x], main a[href^=javascript]").CountAsync());
    }

    private static async Task AssertShownAsTextAsync(IPage page, ILocator shown)
    {
        // The words as a person reads them: highlighted evidence carries a screen-reader note ("(cost: ...)"), left out here.
        var visible = await shown.EvaluateAsync<string>(
            "e => { const c = e.cloneNode(true); c.querySelectorAll('.visually-hidden').forEach(n => n.remove()); return c.textContent; }");
        Assert.Equal(Hostile, visible.Trim());
        Assert.Equal(0, await shown.Locator("b, script, img, a, i").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.ttPwned ?? null"));
    }
}
