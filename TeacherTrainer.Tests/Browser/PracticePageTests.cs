using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The practice page as a keyboard user, a screen-reader user and a phone user live it: focus comes
/// back to the reply box, the End session confirmation and the briefing drawer are real dialogs,
/// scores are announced, End session's text meets WCAG AA, the score and mood stay by the reply box
/// on a phone, and a turn can be tried again.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class PracticePageTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Scenario = "year1-lego-rocket-tidy-up-refusal";
    private const string FirstReply = "Kofi, I can see how proud you are of that rocket. Shall we put it on the special shelf so it stays safe?";
    private const string RudeReply = "Stop making a fuss and put it in the box now.";
    private const string BetterReply = "You worked really hard on it. You can choose: carry it to the shelf yourself, or I can hold the door while you do.";

    [Fact]
    public async Task The_keyboard_path_keeps_focus_in_the_reply_box_and_the_dialogs_cancel_with_escape()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("Kim Keyboard", ApiSetup.NewEmail("kim"), ApiSetup.Password);
        await web.StartSessionAsync(Scenario);

        // End session is not the first thing the page's content offers to the keyboard.
        Assert.NotEqual("end-session", await page.EvaluateAsync<string?>(FirstTabStopInMain));

        // Write and send with the keyboard only: focus is back in the reply box once the turn is saved.
        var done = page.Locator("[data-testid=persona-message][data-streaming=false]");
        var before = await done.CountAsync();
        await page.GetByTestId("reply-box").FocusAsync();
        await page.Keyboard.InsertTextAsync(FirstReply);
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(done).ToHaveCountAsync(before + 1);
        await ExpectFocusAsync(page, "reply-box");

        // The score and the mood were announced politely.
        var live = page.GetByTestId("announcement");
        Assert.Equal("polite", await live.GetAttributeAsync("aria-live"));
        await Expect(live).ToHaveTextAsync(new Regex(@"^Score \d+, (excellent|strong|developing|weak|poor)\. .+ says: .+"));

        // From the reply box, Tab reaches Send first, then Try that turn again, then End session.
        await page.Keyboard.InsertTextAsync("Thank you for telling me.");
        await Expect(page.GetByTestId("send-reply")).ToBeEnabledAsync();
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "send-reply");
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "retry-turn");
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "end-session");

        // End session asks in a dialog; Escape cancels it and focus returns to the button.
        var endDialog = page.GetByTestId("end-dialog");
        await page.Keyboard.PressAsync("Enter");
        await Expect(endDialog).ToBeVisibleAsync();
        await ExpectFocusAsync(page, "keep-going");
        await page.Keyboard.PressAsync("Escape");
        await Expect(endDialog).ToBeHiddenAsync();
        await ExpectFocusAsync(page, "end-session");
        await Expect(page.GetByTestId("reply-box")).ToBeVisibleAsync();

        // End session's text meets WCAG 2.1 AA (4.5:1) on what is behind it, at rest and focused; so does the confirm button's.
        var focusedContrast = await ContrastAsync(page.GetByTestId("end-session"));
        Assert.True(focusedContrast >= 4.5, $"End session's text contrast, focused, is {focusedContrast:0.00}:1");
        await page.GetByTestId("reply-box").FocusAsync();
        var endContrast = await ContrastAsync(page.GetByTestId("end-session"));
        Assert.True(endContrast >= 4.5, $"End session's text contrast is {endContrast:0.00}:1");

        // The briefing opens in a drawer from the keyboard, keeps focus inside, closes with Escape and gives focus back.
        var drawer = page.GetByTestId("briefing-drawer");
        await page.GetByTestId("open-briefing").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(drawer).ToBeVisibleAsync();
        await Expect(drawer.GetByTestId("briefing-rubric")).ToBeVisibleAsync();
        await Expect(drawer).ToContainTextAsync("Your goals");
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('[data-testid=briefing-drawer]').contains(document.activeElement)"),
                $"focus left the open briefing after {i + 1} Tab presses");
        }
        await web.ScreenshotAsync("practice-briefing", fullPage: false);
        await page.Keyboard.PressAsync("Escape");
        await Expect(drawer).ToBeHiddenAsync();
        await ExpectFocusAsync(page, "open-briefing");

        // Enter on the confirm button ends the session.
        await page.GetByTestId("end-session").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(endDialog).ToBeVisibleAsync();
        var confirmContrast = await ContrastAsync(page.GetByTestId("confirm-end"));
        Assert.True(confirmContrast >= 4.5, $"the confirm button's text contrast is {confirmContrast:0.00}:1");
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "confirm-end");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/sessions/*");

        Assert.Empty(web.Dialogs);
        Assert.Empty(web.PageErrors);
        Assert.Empty(web.ConsoleErrors);
    }

    [Fact]
    public async Task A_turn_can_be_tried_again_and_on_a_phone_the_score_and_mood_stay_by_the_reply_box()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("Rae Retry", ApiSetup.NewEmail("rae"), ApiSetup.Password);
        await web.StartSessionAsync(Scenario);
        await TraineeJourneyTests.SendAsync(page, FirstReply);
        await TraineeJourneyTests.SendAsync(page, RudeReply);

        // Try that turn again: the rude reply stays, greyed and labelled, and focus is back in the reply box.
        await page.GetByTestId("retry-turn").ClickAsync();
        var retried = page.Locator("[data-testid=trainee-message][data-retried=true]");
        await Expect(retried).ToHaveCountAsync(1);
        await Expect(retried.GetByTestId("retried-label")).ToHaveTextAsync("Retried");
        await Expect(retried.GetByTestId("trainee-text")).ToHaveTextAsync(RudeReply);
        await ExpectFocusAsync(page, "reply-box");
        await Expect(page.GetByTestId("announcement")).ToContainTextAsync("retried");

        // A new reply takes its place: turn 2 again, counted.
        await TraineeJourneyTests.SendAsync(page, BetterReply);
        var messages = page.GetByTestId("trainee-message");
        await Expect(messages).ToHaveCountAsync(3);
        await Expect(messages.Last).ToHaveAttributeAsync("data-retried", "false");
        await Expect(messages.Last.GetByTestId("trainee-text")).ToHaveTextAsync(BetterReply);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Feedback on turn 2, retried" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Feedback on turn 2: \d+$") })).ToBeVisibleAsync();
        await web.ScreenshotAsync("practice");

        // On a phone the latest score and the mood stay in view while the reply box has focus.
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByTestId("reply-box").FocusAsync();
        var bar = page.GetByTestId("turn-status");
        await Expect(bar).ToBeVisibleAsync();
        await Expect(bar.GetByTestId("turn-status-score")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(bar.GetByTestId("turn-status-mood")).ToHaveTextAsync(new Regex("Escalated|Guarded|Settled"));
        foreach (var element in new[] { bar, page.GetByTestId("reply-box") })
        {
            var box = await element.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Y >= 0 && box.Y + box.Height <= 844 && box.X >= 0 && box.X + box.Width <= 390,
                $"{await element.GetAttributeAsync("data-testid")} is at {box.X},{box.Y} {box.Width}x{box.Height}, outside the 390x844 screen");
        }
        await web.ScreenshotAsync("practice-phone", fullPage: false);

        // The full feedback is one tap away.
        await page.GetByTestId("show-feedback").ClickAsync();
        await Expect(page.GetByTestId("feedback-panel")).ToBeInViewportAsync();

        // The summary's transcript shows the retried branch, not counted.
        await page.SetViewportSizeAsync(1280, 900);
        await TraineeJourneyTests.EndSessionAsync(page);
        await web.ReadyAsync();
        await Expect(page.Locator("[data-testid=transcript-turn][data-retried=true]")).ToHaveCountAsync(1);

        Assert.Empty(web.Dialogs);
        Assert.Empty(web.PageErrors);
        Assert.Empty(web.ConsoleErrors);
        ReadmeImages.Copy("practice");
    }

    /// <summary>The data-testid (or tag) of the first element in main that Tab would reach.</summary>
    private const string FirstTabStopInMain = """
        () => {
            const items = [...document.querySelectorAll('main a[href], main button:not([disabled]), main textarea:not([disabled]), main input:not([disabled]), main select:not([disabled]), main summary, main [tabindex]')]
                .filter(e => e.tabIndex >= 0 && e.offsetParent !== null && !e.closest('dialog:not([open])'));
            const first = items.sort((a, b) => (a.tabIndex || 0) - (b.tabIndex || 0))[0];
            return first ? (first.dataset.testid ?? first.tagName) : null;
        }
        """;

    private static async Task ExpectFocusAsync(IPage page, string testId)
        => await page.WaitForFunctionAsync("id => document.activeElement?.dataset?.testid === id", testId);

    /// <summary>
    /// The WCAG contrast ratio of an element's text on the first opaque background behind it, both
    /// from getComputedStyle.
    /// </summary>
    private static async Task<double> ContrastAsync(ILocator element)
    {
        var colours = await element.EvaluateAsync<string[]>("""
            e => {
                // The final colours, not a moment of a colour transition.
                const transitions = [];
                for (let n = e; n; n = n.parentElement) { transitions.push([n, n.style.transition]); n.style.transition = 'none'; }
                let bg = null;
                for (let n = e; n; n = n.parentElement) {
                    const c = getComputedStyle(n).backgroundColor;
                    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; }
                }
                const colour = getComputedStyle(e).color;
                for (const [n, t] of transitions) n.style.transition = t;
                return [colour, bg ?? 'rgb(255, 255, 255)'];
            }
            """);
        return Ratio(Luminance(colours[0]), Luminance(colours[1]));
    }

    private static double Ratio(double a, double b) => (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);

    private static double Luminance(string css)
    {
        var parts = RgbPattern().Match(css);
        Assert.True(parts.Success, $"not an rgb() colour: {css}");
        double Channel(int i)
        {
            var c = double.Parse(parts.Groups[i].Value, CultureInfo.InvariantCulture) / 255;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(1) + 0.7152 * Channel(2) + 0.0722 * Channel(3);
    }

    [GeneratedRegex(@"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)")]
    private static partial Regex RgbPattern();
}
