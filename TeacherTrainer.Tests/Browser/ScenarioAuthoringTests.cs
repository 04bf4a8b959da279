using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// An instructor writes a scenario without JSON: copies one from the library, renames its persona in
/// the form, is told beside each field where the text still describes the old persona, fixes it,
/// practises the draft as a trainee would, and publishes it to their cohort after seeing what changed:
/// a trainee of that cohort then finds it, a trainee of no cohort does not.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ScenarioAuthoringTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Library = "grade-4-dad-frustrated-with-area-model-homework";

    [Fact]
    public async Task An_instructor_copies_renames_is_warned_fixes_practises_the_draft_and_publishes_after_seeing_the_diff()
    {
        var setup = new ApiSetup(system);
        var email = await setup.CreateInstructorAsync("Rosa Rename");
        using var instructorApi = await setup.SignInAsync(email, ApiSetup.Password);
        var cohortName = $"Seminar {Guid.NewGuid().ToString("N")[..6]}";
        var (_, inviteCode) = await ApiSetup.CreateCohortAsync(instructorApi, cohortName);
        var (traineeEmail, traineeApi) = await setup.SignUpTraineeAsync("Tia Trainee", inviteCode);
        var (_, outsiderApi) = await setup.SignUpTraineeAsync("Otto Outsider");
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignInAsync(email, ApiSetup.Password);

        await web.CopyLibraryScenarioAsync(Library);

        // The persona is renamed in the form; "Check for problems" names each field that still says Andre or Williams.
        await page.GetByTestId("tab-persona").ClickAsync();
        await page.GetByTestId("persona-name").FillAsync("Marcus Johnson");
        await Expect(page.GetByTestId("persona-name")).ToHaveValueAsync("Marcus Johnson");
        await page.GetByTestId("validate-scenario").ClickAsync();
        var briefWarning = page.Locator("[data-issue-for='/persona/brief']");
        await Expect(briefWarning.Filter(new() { HasText = "“Andre”" })).ToContainTextAsync("Still says “Andre”: the persona is now Marcus Johnson (was Andre Williams).");
        await Expect(page.GetByTestId("scenario-issues")).ToContainTextAsync("/setting");
        await Expect(page.GetByTestId("tab-setting")).ToContainTextAsync("issue");
        // The README's picture: the warnings with their places, and the tabs with their counts.
        await web.ScreenshotAsync("scenario-editor", fullPage: false);
        ReadmeImages.Copy("scenario-editor");

        // Publishing waits until the text agrees with the persona.
        await page.GetByTestId("publish-draft").ClickAsync();
        await Expect(page.GetByTestId("diff-warnings")).ToContainTextAsync("Andre");
        await Expect(page.GetByTestId("confirm-publish")).ToBeDisabledAsync();

        // Fixed with a find-and-replace in the JSON tab, which round-trips with the form.
        await page.GetByTestId("tab-json").ClickAsync();
        var json = page.GetByTestId("scenario-json");
        var text = (await json.InputValueAsync()).Replace("Andre", "Marcus", StringComparison.Ordinal).Replace("Williams", "Johnson", StringComparison.Ordinal);
        await json.FillAsync(text);
        await page.GetByTestId("tab-persona").ClickAsync();
        await Expect(page.GetByTestId("persona-brief")).ToHaveValueAsync(new Regex("Marcus"));
        await page.GetByTestId("validate-scenario").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("No problems found");
        await Expect(briefWarning).ToHaveCountAsync(0);

        // "Practise this draft": saved, then a session on it, as a trainee meets it.
        var opening = JsonNode.Parse(text)!["openingLine"]!.GetValue<string>();
        var editor = new Uri(page.Url).PathAndQuery;
        await page.GetByTestId("practise-draft").ClickAsync();
        await page.WaitForURLAsync("**/practice/*");
        await web.ReadyAsync();
        await Expect(page.GetByTestId("chat-log")).ToContainTextAsync(opening[..Math.Min(60, opening.Length)]);
        await Expect(page.GetByTestId("chat-log")).ToHaveAttributeAsync("aria-label", "Conversation with Marcus Johnson");

        // Publish to the cohort: the changes are shown, the audience chosen (the one cohort, ticked), and confirmed.
        await web.GoToAsync(editor);
        await page.GetByTestId("publish-draft").ClickAsync();
        await Expect(page.GetByTestId("publish-diff")).ToContainTextAsync("First publication");
        await Expect(page.GetByTestId("audience-cohort")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("audience-library")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("audience-summary")).ToHaveTextAsync($"Only the trainees of {cohortName} (and their instructors) will see it.");
        // Unticked, there is nobody to publish to.
        await page.GetByTestId("audience-cohort").UncheckAsync();
        await Expect(page.GetByTestId("audience-summary")).ToHaveTextAsync("Choose at least one cohort.");
        await Expect(page.GetByTestId("confirm-publish")).ToBeDisabledAsync();
        await page.GetByTestId("audience-cohort").CheckAsync();
        // The README's picture of publishing: what changed, and who it is for.
        await page.GetByTestId("publish-diff").ScrollIntoViewIfNeededAsync();
        await web.ScreenshotAsync("scenario-publish", fullPage: false);
        ReadmeImages.Copy("scenario-publish");
        await page.GetByTestId("confirm-publish").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync($"only the trainees of {cohortName} see it");
        await Expect(page.GetByTestId("scenario-status")).ToContainTextAsync("Published");

        // The cohort's trainee finds it under "From your cohorts' instructors"; a trainee of no cohort is told it does not exist.
        var slug = editor.Split('/')[3];
        Assert.Equal(System.Net.HttpStatusCode.OK, (await traineeApi.GetAsync($"/api/scenarios/{slug}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await outsiderApi.GetAsync($"/api/scenarios/{slug}", TestContext.Current.CancellationToken)).StatusCode);
        await using (var traineeWeb = await WebUi.OpenAsync(browsers, system.App))
        {
            await traineeWeb.SignInAsync(traineeEmail, ApiSetup.Password);
            await traineeWeb.GoToAsync("/scenarios");
            var card = traineeWeb.Page.Locator($"[data-testid=cohort-scenario][data-slug='{slug}']");
            await Expect(card).ToContainTextAsync($"for {cohortName}");
            await Expect(card.GetByRole(AriaRole.Link)).ToHaveTextAsync(new Regex(".+"));
            Assert.Empty(traineeWeb.PageErrors);
        }

        // The next change: the setting, in the form; the diff names the section before it goes live.
        await page.GetByTestId("setting-text").FillAsync((await page.GetByTestId("setting-text").InputValueAsync()) + " It is raining hard.");
        await page.GetByTestId("publish-draft").ClickAsync();
        await Expect(page.GetByTestId("publish-diff").GetByTestId("diff-section")).ToHaveTextAsync(["Setting"]);
        await page.GetByTestId("confirm-publish").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("Published version");
        Assert.Empty(web.PageErrors);
    }
}
