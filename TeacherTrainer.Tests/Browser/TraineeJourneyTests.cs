using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>The practice loop in a real browser, as a new trainee lives it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TraineeJourneyTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Scenario = "year1-lego-rocket-tidy-up-refusal";

    private static readonly string[] Replies =
    [
        "Kofi, I can see how proud you are of that rocket. It's tidy-up time now. Shall we put it on the special shelf so it stays safe?",
        "You worked really hard on it. You can choose: carry it to the shelf yourself, or I can hold the door while you do.",
        "Thank you for listening. After lunch you can show the class how the rocket launches.",
    ];

    [Fact]
    public async Task A_trainee_signs_up_joins_a_cohort_practises_with_feedback_reflects_and_sees_the_progress_chart_change()
    {
        // An instructor's cohort to join (arranged through the API).
        var setup = new ApiSetup(system);
        var instructorEmail = await setup.CreateInstructorAsync("Ines Instructor");
        using var instructor = await setup.SignInAsync(instructorEmail, ApiSetup.Password);
        var (_, code) = await ApiSetup.CreateCohortAsync(instructor, "Autumn placement");

        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;

        // Sign up, then join the cohort by its code.
        await web.SignUpAsync("Tess Trainee", ApiSetup.NewEmail("tess"), ApiSetup.Password);
        await Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("Tess Trainee");
        await page.Locator("[data-testid=scenario-card]").First.WaitForAsync();
        Assert.True(await page.Locator("[data-testid=scenario-card]").CountAsync() >= 30);
        await web.ScreenshotAsync("catalog");

        await web.GoToAsync("/cohorts/join");
        await page.GetByLabel("Invitation code").FillAsync(code);
        await page.GetByTestId("join-cohort").ClickAsync();
        await Expect(page.GetByTestId("joined")).ToContainTextAsync("Autumn placement");
        await Expect(page.GetByTestId("my-cohorts")).ToContainTextAsync("Autumn placement");

        // No progress yet.
        await web.GoToAsync("/progress");
        await page.GetByTestId("empty-state").WaitForAsync();

        // The semantic search finds the scenario by meaning.
        await web.GoToAsync("/scenarios");
        await page.GetByLabel("Find me a scenario about").FillAsync("a young child refuses to tidy away his toy");
        await Expect(page.GetByLabel("Find me a scenario about")).ToHaveValueAsync("a young child refuses to tidy away his toy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync("**q=*");
        await Expect(page.Locator($"[data-testid=scenario-card][data-slug={Scenario}]")).ToBeVisibleAsync();

        // Briefing, then practice: every reply is judged beside the chat and the persona answers.
        await page.Locator($"[data-testid=scenario-card][data-slug={Scenario}] a").ClickAsync();
        await page.WaitForURLAsync($"**/scenarios/{Scenario}");
        await web.ReadyAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "How your replies are judged" })).ToBeVisibleAsync();
        await web.ScreenshotAsync("briefing");
        await page.GetByTestId("start-session").ClickAsync();
        await page.WaitForURLAsync("**/practice/*");
        await web.ReadyAsync();
        await Expect(page.GetByTestId("feedback-empty")).ToBeVisibleAsync();

        foreach (var reply in Replies)
        {
            if (await page.GetByTestId("session-ended").IsVisibleAsync()) break;
            await SendAsync(page, reply);
            // The judgement of this reply: an overall score and band, a bar per criterion, a suggestion.
            var judgement = page.GetByTestId("judgement");
            var score = int.Parse(await judgement.GetByTestId("overall-score").InnerTextAsync());
            Assert.InRange(score, 0, 100);
            await Expect(judgement.GetByTestId("band")).ToBeVisibleAsync();
            Assert.True(await judgement.GetByTestId("score-bar").CountAsync() >= 3);
            await Expect(judgement.GetByTestId("suggestion")).Not.ToBeEmptyAsync();
            await Expect(page.GetByTestId("mood-label")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Escalated|Guarded|Settled"));
            Assert.Equal(reply, (await page.GetByTestId("trainee-text").Last.InnerTextAsync()).Trim());
        }
        // The first reply validates and offers a choice: the engine credits some of its words.
        await page.GetByRole(AriaRole.Button, new() { Name = "Feedback on turn 1" }).ClickAsync();
        Assert.True(await page.GetByTestId("judgement").Locator("mark.evidence").CountAsync() > 0, "no evidence highlighted in the first reply");
        await page.GetByRole(AriaRole.Button, new() { Name = "Feedback on turn 2" }).ClickAsync();
        // The README's practice image comes from PracticePageTests (it shows a retried turn).
        await web.ScreenshotAsync("practice-journey");

        // End the session (unless the persona settled first), reflect.
        await EndSessionAsync(page);
        await web.ReadyAsync();
        await Expect(page.GetByTestId("summary-score")).ToBeVisibleAsync();
        Assert.True(await page.GetByTestId("summary-criterion").CountAsync() >= 3);
        await Expect(page.GetByTestId("weakest-turn")).ToBeVisibleAsync();
        Assert.True(await page.GetByTestId("transcript-turn").CountAsync() >= 1);
        await page.GetByTestId("reflection-box").FillAsync("I named his pride before the limit. Next time I'll offer the choice sooner.");
        await page.GetByTestId("save-reflection").ClickAsync();
        await Expect(page.GetByTestId("reflection-status")).ToHaveTextAsync("Saved.");
        await web.ScreenshotAsync("summary");

        // Progress: the chart shows the session.
        await web.GoToAsync("/progress");
        var chart = page.Locator("canvas[data-testid=skills-chart][data-rendered=true]");
        await chart.WaitForAsync();
        var before = int.Parse((await chart.GetAttributeAsync("data-points"))!);
        Assert.True(before > 0);
        await Expect(page.GetByTestId("completed-count")).ToHaveTextAsync("1");

        // A second session moves the chart.
        await web.StartSessionAsync(Scenario);
        await SendAsync(page, Replies[0]);
        await EndSessionAsync(page);
        await web.GoToAsync("/progress");
        await chart.WaitForAsync();
        await Expect(page.GetByTestId("completed-count")).ToHaveTextAsync("2");
        var after = int.Parse((await chart.GetAttributeAsync("data-points"))!);
        Assert.True(after > before, $"the chart had {before} points and still has {after}");
        await web.ScreenshotAsync("progress");

        // The same pages work on a phone.
        await page.SetViewportSizeAsync(390, 844);
        await web.GoToAsync("/progress");
        await chart.WaitForAsync();
        await web.ScreenshotAsync("progress-phone", fullPage: false);

        Assert.Empty(web.Dialogs);
        Assert.Empty(web.PageErrors);
        Assert.Empty(web.ConsoleErrors);
        ReadmeImages.Copy("progress");
    }

    /// <summary>Sends a reply and waits for the turn to finish (judged, answered, saved).</summary>
    internal static async Task SendAsync(IPage page, string reply)
    {
        var done = page.Locator("[data-testid=persona-message][data-streaming=false]");
        var turns = await done.CountAsync();
        await page.GetByTestId("reply-box").FillAsync(reply);
        await page.GetByTestId("send-reply").ClickAsync();
        await Expect(done).ToHaveCountAsync(turns + 1);
    }

    internal static async Task EndSessionAsync(IPage page)
    {
        if (await page.GetByTestId("see-summary").IsVisibleAsync())
        {
            await page.GetByTestId("see-summary").ClickAsync();
        }
        else
        {
            await page.GetByTestId("end-session").ClickAsync();
            await page.GetByTestId("confirm-end").ClickAsync();
        }
        await page.WaitForURLAsync("**/sessions/*");
    }
}
