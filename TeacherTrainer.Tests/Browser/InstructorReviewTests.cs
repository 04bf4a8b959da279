using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>An instructor's side of a cohort in a real browser, and the trainee seeing what they did.</summary>
[Collection(AppHostCollection.Name)]
public sealed class InstructorReviewTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Scenario = "year6-sats-practice-paper-panic";
    private const string Comment = "Good that you slowed down. Next time name the worry before you reassure.";
    private const string Reason = "The reassurance was specific and honest; the engine undervalued it.";

    [Fact]
    public async Task An_instructor_assigns_a_scenario_reviews_the_transcript_comments_and_overrides_and_the_trainee_sees_it()
    {
        var setup = new ApiSetup(system);
        var instructorEmail = await setup.CreateInstructorAsync("Ines Instructor");

        // The instructor creates a cohort and assigns a scenario, in the browser.
        await using var teacher = await WebUi.OpenAsync(browsers, system.App);
        var page = teacher.Page;
        await teacher.SignInAsync(instructorEmail, ApiSetup.Password);
        await teacher.GoToAsync("/teach/cohorts");
        await page.GetByTestId("cohort-name").FillAsync("Spring placement");
        await page.GetByTestId("create-cohort").ClickAsync();
        await page.WaitForURLAsync("**/teach/cohorts/*");
        await teacher.ReadyAsync();
        var cohortUrl = page.Url;
        var code = (await page.GetByTestId("invite-code-value").InnerTextAsync()).Trim();
        await page.GetByTestId("assign-scenario").SelectOptionAsync(Scenario);
        await page.GetByTestId("assign-due").FillAsync(DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"));
        await page.GetByTestId("assign").ClickAsync();
        await Expect(page.GetByTestId("assignment-list")).ToContainTextAsync("due in");

        // Nobody is added by email: an invitation waits for its answer (the same whether or not the email has an account).
        var invitee = ApiSetup.NewEmail("invitee");
        await page.GetByTestId("invite-email").FillAsync(invitee);
        await page.GetByTestId("invite").ClickAsync();
        await Expect(page.GetByTestId("pending-invitation")).ToContainTextAsync(invitee);
        await Expect(page.Locator(".alert-success[role=status]")).ToContainTextAsync("They join the cohort if they accept it.");

        // A trainee joins with the code and practises the assignment (through the API: this test is about review).
        var (traineeEmail, trainee) = await setup.SignUpTraineeAsync("Tom Trainee", code);
        using (trainee)
        {
            var assignments = (await trainee.GetFromJsonAsync<List<AssignmentView>>("/api/assignments", TestContext.Current.CancellationToken))!;
            var assignment = assignments.Single(a => a.ScenarioSlug == Scenario);
            await ApiSetup.PractiseAsync(trainee, Scenario, assignment.Id,
                "I can see this paper is really worrying you. Put the pencil down for a moment; we'll look at one question together.",
                "It's a practice paper, so it's here to show us what to work on, not to judge you.");
        }

        // The dashboard shows the trainee by criterion; the instructor opens the transcript.
        await teacher.GoToAsync(new Uri(cohortUrl).PathAndQuery);
        await Expect(page.GetByTestId("completion-table")).ToContainTextAsync("Tom Trainee");
        await Expect(page.GetByTestId("heatmap")).ToContainTextAsync("Tom Trainee");
        Assert.True(await page.GetByTestId("heatmap").Locator("td.heat").CountAsync() >= 3);
        await teacher.ScreenshotAsync("cohort-dashboard");
        await page.GetByTestId("cohort-session").First.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/teach/review/*");
        await teacher.ReadyAsync();
        var sessionId = page.Url.Split('/').Last();

        // Comment on the first reply, and override one of its criterion scores.
        var firstTurn = page.GetByTestId("review-turn").First;
        await firstTurn.GetByTestId("comment-box").FillAsync(Comment);
        await firstTurn.GetByTestId("comment-save").ClickAsync();
        await Expect(page.GetByTestId("review-comment").First).ToContainTextAsync(Comment);
        firstTurn = page.GetByTestId("review-turn").First;
        var criterionRow = firstTurn.Locator("tr[data-testid^=review-criterion-]").First;
        var criterionName = (await criterionRow.Locator("th").InnerTextAsync()).Trim();
        await criterionRow.GetByTestId("override-open").ClickAsync();
        await page.GetByTestId("override-score").FillAsync("91");
        await page.GetByTestId("override-reason").FillAsync(Reason);
        await page.GetByTestId("override-save").ClickAsync();
        await Expect(page.GetByTestId("override-audit")).ToContainTextAsync("to 91");
        // The audit names the criterion as the score table does, not by its rubric key.
        await Expect(page.GetByTestId("override-audit")).ToContainTextAsync($"changed “{criterionName}” on turn 1");
        await Expect(page.GetByTestId("review-turn").First.Locator("tr[data-testid^=review-criterion-]").First.GetByTestId("effective-score")).ToContainTextAsync("91");
        await teacher.ScreenshotAsync("review");

        // The trainee sees the assignment (still due: a session ended early does not complete it), the comment and the changed score.
        await using var learner = await WebUi.OpenAsync(browsers, system.App);
        await learner.SignInAsync(traineeEmail, ApiSetup.Password);
        await Expect(learner.Page.GetByTestId("assigned")).ToContainTextAsync("Spring placement");
        await Expect(learner.Page.GetByTestId("assignment").First.GetByTestId("due")).ToContainTextAsync("due in");
        await learner.GoToAsync($"/sessions/{sessionId}");
        await Expect(learner.Page.GetByTestId("instructor-comment")).ToContainTextAsync(Comment);
        await Expect(learner.Page.GetByTestId("instructor-comment")).ToContainTextAsync("Ines Instructor");
        await Expect(learner.Page.GetByTestId("score-override")).ToContainTextAsync(criterionName);
        await Expect(learner.Page.GetByTestId("score-override")).ToContainTextAsync(Reason);
        await learner.ScreenshotAsync("summary-with-comment");

        // An invitation to another cohort: the trainee sees whose it is and declines it.
        using (var instructorApi = await setup.SignInAsync(instructorEmail, ApiSetup.Password))
        {
            var (summerId, _) = await ApiSetup.CreateCohortAsync(instructorApi, "Summer school");
            using var invited = await instructorApi.PostAsJsonAsync($"/api/cohorts/{summerId}/invitations", new { email = traineeEmail }, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, invited.StatusCode);
        }
        await learner.GoToAsync("/cohorts/join");
        await Expect(learner.Page.GetByTestId("my-invitation")).ToContainTextAsync("Summer school");
        await Expect(learner.Page.GetByTestId("my-invitation")).ToContainTextAsync("Ines Instructor");
        await learner.Page.GetByTestId("decline-invitation").ClickAsync();
        await Expect(learner.Page.GetByTestId("declined")).ToContainTextAsync("Summer school");
        await Expect(learner.Page.GetByTestId("my-invitation")).ToHaveCountAsync(0);

        // Who can see their practice: the cohort's instructor, and this assignment session, but not its reflection
        // until they share it; then they leave.
        using (var traineeApi = await setup.SignInAsync(traineeEmail, ApiSetup.Password))
        {
            using var reflected = await traineeApi.PutAsJsonAsync($"/api/sessions/{sessionId}/reflection", new { text = "I rushed the reassurance." }, TestContext.Current.CancellationToken);
            reflected.EnsureSuccessStatusCode();
        }
        await learner.GoToAsync("/sharing");
        await Expect(learner.Page.GetByTestId("visibility-instructor")).ToHaveTextAsync("Ines Instructor");
        await Expect(learner.Page.GetByTestId("sharing-session").First.GetByTestId("seen-by")).ToContainTextAsync("Ines Instructor");
        await Expect(learner.Page.GetByTestId("share-reflection")).Not.ToBeCheckedAsync();
        await learner.Page.GetByTestId("share-reflection").CheckAsync();
        await Expect(learner.Page.GetByTestId("sharing-notice")).ToContainTextAsync("its reflection is shared with them");
        await Expect(learner.Page.GetByTestId("visibility-summary")).ToContainTextAsync("1 reflection you shared");
        await learner.ScreenshotAsync("sharing");
        await learner.Page.GetByTestId("leave").ClickAsync();
        await learner.Page.GetByTestId("leave-confirm").ClickAsync();
        await Expect(learner.Page.GetByTestId("sharing-notice")).ToContainTextAsync("no longer sees any of your practice");
        await Expect(learner.Page.GetByTestId("no-cohorts")).ToBeVisibleAsync();
        await Expect(learner.Page.GetByTestId("sharing-session").First.GetByTestId("seen-by")).ToHaveTextAsync("Only you");

        // Signing out ends the sign-in: its pages send the trainee to sign in again.
        await learner.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(learner.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await learner.Page.GotoAsync($"/sessions/{sessionId}");
        await learner.Page.WaitForURLAsync("**/account/sign-in?returnUrl=*");

        Assert.Empty(teacher.PageErrors);
        Assert.Empty(learner.PageErrors);
        Assert.Empty(teacher.ConsoleErrors);
        Assert.Empty(learner.ConsoleErrors);
    }
}
