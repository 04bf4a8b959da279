using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The moment between a page appearing (prerendered) and becoming interactive, as a trainee on a slow
/// connection lives it: nothing they type may be lost, and focus stays where they are typing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PageReadinessTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Search = "a young child refuses to tidy away his toy";

    [Fact]
    public async Task Until_the_page_is_interactive_its_fields_wait_greyed_and_what_is_typed_the_moment_it_is_ready_is_kept()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("Rory Ready", ApiSetup.NewEmail("rory"), ApiSetup.Password);

        // Hold back the script that makes the page interactive: the page as it first appears.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/_framework/blazor.web*.js", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("/scenarios", new() { WaitUntil = WaitUntilState.Commit });
        var box = page.GetByLabel("Find me a scenario about");
        await box.WaitForAsync();
        await Expect(box).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Search" })).ToBeDisabledAsync();
        var waiting = await BackgroundAsync(box);
        await web.ScreenshotAsync("catalog-waiting", fullPage: false);

        release.SetResult();
        await web.ReadyAsync();
        await Expect(box).ToBeEnabledAsync();
        var ready = await BackgroundAsync(box);
        Assert.NotEqual(waiting, ready);
        Assert.Equal("rgb(255, 255, 255)", ready);

        // Typing at once, key by key: every key lands in the box and focus stays there.
        await box.PressSequentiallyAsync(Search, new() { Delay = 15 });
        await Expect(box).ToHaveValueAsync(Search);
        await Expect(box).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**q=*");
        await Expect(page.Locator("[data-testid=scenario-card]").First).ToBeVisibleAsync();
        Assert.Empty(web.PageErrors);
    }

    [Fact]
    public async Task A_new_page_puts_focus_on_its_heading_but_never_takes_it_from_a_field_being_typed_in()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("Fern Focus", ApiSetup.NewEmail("fern"), ApiSetup.Password);
        await web.GoToAsync("/scenarios");

        // Following a link: a screen reader starts at the new page's heading.
        await page.GetByRole(AriaRole.Link, new() { Name = "Progress", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/progress");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your progress", Level = 1 })).ToBeFocusedAsync();

        // The page's own focus step, run while the trainee is in a field, leaves them there...
        await web.GoToAsync("/scenarios");
        var box = page.GetByLabel("Find me a scenario about");
        await box.FocusAsync();
        Assert.False(await FocusHeadingAsync(page));
        await Expect(box).ToBeFocusedAsync();

        // ...and run from anywhere else, moves to the heading.
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenarios", Exact = true }).FocusAsync();
        Assert.True(await FocusHeadingAsync(page));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scenarios", Level = 1 })).ToBeFocusedAsync();
    }

    private static Task<string> BackgroundAsync(ILocator locator)
        => locator.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private static Task<bool> FocusHeadingAsync(IPage page)
        => page.EvaluateAsync<bool>("async () => (await import('./js/focus.js')).focusHeading('h1')");
}
