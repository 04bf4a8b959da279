using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>The scenario editor, exemplar-collection import and user administration in a real browser.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AuthoringAndAdminTests(AppHostFixture system, BrowserFixture browsers)
{
    [Fact]
    public async Task An_instructor_validates_a_scenario_and_imports_an_exemplar_collection_with_progress()
    {
        var setup = new ApiSetup(system);
        var instructorEmail = await setup.CreateInstructorAsync("Ines Instructor");
        var coAuthorEmail = await setup.CreateInstructorAsync("Cai Co-author");
        Guid cohortId;
        using (var instructorApi = await setup.SignInAsync(instructorEmail, ApiSetup.Password))
        {
            cohortId = (await ApiSetup.CreateCohortAsync(instructorApi, "Thursday seminar")).Id;
        }
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignInAsync(instructorEmail, ApiSetup.Password);

        // The library is read-only for an instructor: they copy it into a draft of their own.
        await web.GoToAsync("/teach/scenarios/year1-lego-rocket-tidy-up-refusal/edit");
        await Expect(page.GetByTestId("read-only-notice")).ToContainTextAsync("built-in library");
        await Expect(page.GetByTestId("publish-scenario")).ToHaveCountAsync(0);
        await page.GetByTestId("read-only-notice").GetByTestId("copy-scenario").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/teach/scenarios/year1-lego-rocket-tidy-up-refusal-copy[a-z0-9-]*/edit"));
        await Expect(page.GetByTestId("scenario-status")).ToContainTextAsync("Draft");
        await Expect(page.GetByTestId("scenario-owner")).ToContainTextAsync("you");

        // The owner names a co-author by email; the answer does not say whether the email has an account.
        await page.GetByTestId("coauthor-email").FillAsync(coAuthorEmail);
        await page.GetByTestId("add-coauthor").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync($"If {coAuthorEmail} belongs to an instructor or administrator");
        await Expect(page.GetByTestId("coauthor-list")).ToContainTextAsync(coAuthorEmail);

        // The editor checks the copy, and names what is wrong with a broken one, by JSON path.
        await page.GetByTestId("validate-scenario").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("No problems found");
        var summary = page.GetByLabel("Summary (one sentence for the catalog card)");
        var original = await summary.InputValueAsync();
        await summary.FillAsync("Too short");
        await page.GetByTestId("publish-scenario").ClickAsync();
        await Expect(page.GetByTestId("scenario-issues")).ToContainTextAsync("/summary");
        await Expect(page.Locator("[data-issue-for='/summary']")).ToBeVisibleAsync();
        await page.GetByTestId("tab-json").ClickAsync();
        await Expect(page.GetByTestId("scenario-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"slug\": \"year1-lego-rocket-tidy-up-refusal-copy"));
        await page.GetByTestId("tab-setting").ClickAsync();
        await page.GetByLabel("Summary (one sentence for the catalog card)").FillAsync(original);
        // Published from the editor (after the changes are shown and confirmed) to the instructor's one cohort, ticked for them.
        await page.GetByTestId("publish-draft").ClickAsync();
        await Expect(page.GetByTestId("publish-diff")).ToContainTextAsync("First publication");
        await Expect(page.GetByTestId("audience-summary")).ToHaveTextAsync("Only the trainees of Thursday seminar (and their instructors) will see it.");
        await page.GetByTestId("confirm-publish").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("only the trainees of Thursday seminar see it");
        await Expect(page.GetByTestId("scenario-status")).ToContainTextAsync("Published");
        // The editor's list: the copy under "My scenarios", the library with its copy buttons.
        await web.GoToAsync("/teach/scenarios");
        await Expect(page.GetByTestId("my-scenario").Filter(new() { HasText = "(copy)" })).ToContainTextAsync("Published");
        await Expect(page.Locator("[data-testid=scenario-library] tr[data-slug='year1-lego-rocket-tidy-up-refusal']").GetByTestId("copy-scenario")).ToBeVisibleAsync();

        // A JSON Lines collection: read, checked, sent with a progress bar, imported.
        var file = Path.Combine(Path.GetTempPath(), $"fractions-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 120).Select(i => i % 2 == 0
            ? $$"""{"context":[{"speaker":"student","text":"I think 1/{{i + 2}} is bigger than 1/2 because {{i + 2}} is bigger."}],"response":"Interesting. Can you draw both and show me which piece is bigger?","quality":"expert"}"""
            : $$"""{"context":[{"speaker":"student","text":"Is 1/{{i + 2}} bigger than 1/2?"}],"response":"No. Next question.","quality":"novice"}""")
            // One novice reply labelled expert: the quality view must list it.
            .Append("""{"context":[{"speaker":"student","text":"Is 1/3 bigger than 1/2?"}],"response":"No. Next question.","quality":"expert"}"""), TestContext.Current.CancellationToken);
        try
        {
            var name = $"fractions-{Guid.NewGuid():N}"[..24];
            // Under a fully loaded CI machine the file's change event was sometimes not heard (1 run in 6, and once even
            // when the file was picked again on the same page; alone it always is): as a person would, reload the page
            // and pick the file again if nothing happened, then expect the preview.
            for (var attempt = 1; ; attempt++)
            {
                await web.GoToAsync("/teach/collections");
                await page.GetByTestId("collection-name").FillAsync(name);
                await page.GetByTestId("collection-file").SetInputFilesAsync(file);
                try
                {
                    await page.GetByTestId("collection-preview").WaitForAsync(new() { Timeout = 20_000 });
                    break;
                }
                catch (Exception e) when ((e is PlaywrightException or TimeoutException) && attempt < 3)
                {
                    TestContext.Current.SendDiagnosticMessage($"collection import: no preview after picking the file (attempt {attempt}); reloading");
                }
            }
            await Expect(page.GetByTestId("collection-preview")).ToContainTextAsync("121 items ready (61 expert, 60 novice)");
            await page.GetByTestId("import-collection").ClickAsync();
            await Expect(page.GetByTestId("import-done")).ToContainTextAsync("121 items (61 expert, 60 novice)");
            await Expect(page.GetByTestId("collection-list")).ToContainTextAsync(name);
            // Shared with one of the instructor's own cohorts, so its trainees may be judged against it.
            var item = page.Locator($"[data-testid=collection-item][data-name='{name}']");
            await Expect(item.GetByTestId("collection-shares")).ToContainTextAsync("Shared with no cohort");
            await item.GetByTestId("share-cohort").SelectOptionAsync(new SelectOptionValue { Label = "Thursday seminar" });
            await item.GetByTestId("share-collection").ClickAsync();
            await Expect(item.GetByTestId("shared-cohort")).ToContainTextAsync("Thursday seminar");
            await web.ScreenshotAsync("collections", fullPage: false);

            // Its quality view: the histogram drawn as SVG bars, its figures in words, and the mislabelled item.
            await item.GetByTestId("collection-quality-link").ClickAsync();
            var chart = page.Locator("svg[data-testid=quality-chart]");
            await Expect(chart).ToBeVisibleAsync();
            Assert.Equal(10, await chart.Locator("rect[data-testid=bar-expert]").CountAsync());
            await Expect(chart.Locator("rect[data-testid=bar-expert][data-count='60']")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("pairs-ordered-right")).ToContainTextAsync("of 3,660 expert–novice pairs");
            await Expect(page.GetByTestId("auc")).ToBeVisibleAsync();
            var suspect = page.GetByTestId("suspect");
            await Expect(suspect).ToHaveCountAsync(1);
            await Expect(suspect.GetByTestId("suspect-label")).ToHaveTextAsync("expert");
            await Expect(suspect.GetByTestId("suspect-response")).ToHaveTextAsync("No. Next question.");
            await Expect(suspect.GetByTestId("suspect-vote")).ToContainTextAsync("0 of 5 labelled expert");
            // The cohort page lists the collections shared with it.
            await web.GoToAsync($"/teach/cohorts/{cohortId}");
            await Expect(page.GetByTestId("cohort-collection")).ToContainTextAsync(name);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Empty(web.PageErrors);
    }

    [Fact]
    public async Task An_administrator_changes_a_role_and_locks_and_unlocks_an_account()
    {
        var setup = new ApiSetup(system);
        var (traineeEmail, trainee) = await setup.SignUpTraineeAsync("Lou Learner");
        trainee.Dispose();
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignInAsync(AppHostFixture.AdminEmail, AppHostFixture.AdminPassword);
        await web.GoToAsync("/admin/users");
        await page.GetByLabel("Email or name").FillAsync(traineeEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var row = page.Locator($"[data-testid=user-row][data-email='{traineeEmail}']");
        // The first page already lists the new trainee; only one row in all says the search has answered,
        // so the click below cannot land while the list is being drawn again.
        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(1);
        await Expect(row).ToHaveCountAsync(1);

        // A role change opens a real dialog: focus moves inside, Escape cancels and nothing changes.
        var dialog = page.GetByTestId("admin-action-dialog");
        await row.GetByTestId("change-role").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        Assert.True(await dialog.EvaluateAsync<bool>("d => d.contains(document.activeElement)"));
        await page.GetByTestId("dialog-role").SelectOptionAsync("instructor");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.GetByTestId("user-role")).ToHaveTextAsync("Trainee");
        // Confirming needs a reason; with one, the role changes.
        await row.GetByTestId("change-role").ClickAsync();
        await page.GetByTestId("dialog-role").SelectOptionAsync("instructor");
        await Expect(page.GetByTestId("dialog-confirm")).ToBeDisabledAsync();
        await page.GetByTestId("action-reason").FillAsync("Joined the teaching staff");
        await page.GetByTestId("dialog-confirm").ClickAsync();
        await Expect(page.GetByTestId("admin-notice")).ToContainTextAsync("Lou Learner is now instructor");
        await Expect(row.GetByTestId("user-role")).ToHaveTextAsync("Instructor");
        await Expect(row.GetByTestId("user-created")).Not.ToBeEmptyAsync();

        // A lock asks how long and why.
        await row.GetByTestId("lock-user").ClickAsync();
        await page.GetByTestId("lock-duration").SelectOptionAsync("unlocked");
        await page.GetByTestId("action-reason").FillAsync("Shared their password");
        await page.GetByTestId("dialog-confirm").ClickAsync();
        await Expect(page.GetByTestId("admin-notice")).ToContainTextAsync("locked until unlocked");
        await Expect(row).ToContainTextAsync("Locked");
        await web.ScreenshotAsync("admin-users", fullPage: false);

        // Locked: signing in is refused with a reason.
        await using (var locked = await WebUi.OpenAsync(browsers, system.App))
        {
            await locked.Page.GotoAsync("/account/sign-in");
            await locked.Page.GetByLabel("Email").FillAsync(traineeEmail);
            await locked.Page.GetByLabel("Password").FillAsync(ApiSetup.Password);
            await locked.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(locked.Page.GetByTestId("sign-in-error")).ToContainTextAsync("locked");
        }

        await row.GetByTestId("unlock-user").ClickAsync();
        await Expect(row).ToContainTextAsync("Active");

        // System status: every layer, for administrators (anyone else gets only up or down from the API).
        await web.GoToAsync("/status");
        await Expect(page.GetByTestId("layer-database")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("layer-vector-search")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("overall-status")).ToHaveTextAsync("healthy");
        Assert.Empty(web.PageErrors);
    }

    [Fact]
    public async Task A_failed_sign_up_leaves_the_password_box_empty()
    {
        var setup = new ApiSetup(system);
        var (takenEmail, trainee) = await setup.SignUpTraineeAsync("Tam Taken");
        trainee.Dispose();
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await page.GotoAsync("/account/sign-up");
        await page.GetByLabel("Your name").FillAsync("Tam Again");
        await page.GetByLabel("Email").FillAsync(takenEmail);
        await page.GetByLabel("Password").FillAsync("a secret typed only once here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByTestId("sign-up-error")).ToBeVisibleAsync();
        // The page came back from the server: the password is neither in the box nor anywhere in the HTML.
        Assert.Equal("", await page.Locator("#password").InputValueAsync());
        Assert.DoesNotContain("a secret typed only once here", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Tam Again", await page.GetByLabel("Your name").InputValueAsync());
    }
}
