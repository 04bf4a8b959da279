using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// An instructor edits the lines that answer something, in the form: sees the plan a library farewell says back, adds a
/// line of their own with its words and the parts of the plan it waits for, is told beside the line when a part is too
/// short to mean anything, and finds everything as they left it after saving and opening the scenario again.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ReplyLineEditorTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Library = "grade-4-dad-frustrated-with-area-model-homework";
    private const string SaidLabel = "Plan it says back: each part said somewhere in the session (commas; other wordings after |)";
    private const string AfterLabel = "Only after the persona has said one of these lines (one per line)";
    private const string HisLine = "Pretty much. I can do the math, I just can't do it the way she's supposed to.";

    [Fact]
    public async Task An_instructor_sees_a_farewells_plan_adds_a_line_with_its_words_and_plan_and_finds_it_saved()
    {
        var setup = new ApiSetup(system);
        var email = await setup.CreateInstructorAsync("Rhiannon Replies");
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignInAsync(email, ApiSetup.Password);

        await web.CopyLibraryScenarioAsync(Library);
        await page.GetByTestId("tab-replies").ClickAsync();

        // The farewell waits for every part of the plan it says back; each part's other wordings follow a "|".
        var lines = page.GetByTestId("reply-line");
        await Expect(lines.First).ToBeVisibleAsync();
        // Blazor sets an input's value, not its attribute: the farewell is found by what its text box shows.
        var texts = await lines.GetByLabel("The persona says").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        var farewell = lines.Nth(Array.FindIndex(texts, t => t.StartsWith("Okay. Both ways count", StringComparison.Ordinal)));
        var farewellSaid = farewell.Locator("input[id^='rl-said-']");
        await Expect(farewellSaid).ToHaveValueAsync(new Regex(@"^either method\|both methods\|.*, twenty minutes\|20 minutes, email\|e-mail\|emails$"));
        // A person sees what the field is for, and the label leads to it.
        var farewellLabel = farewell.GetByText(SaidLabel);
        await Expect(farewellLabel).ToBeVisibleAsync();
        await farewellLabel.ClickAsync();
        await Expect(farewellSaid).ToBeFocusedAsync();

        // A line of the instructor's own: it answers the day being named, and says back the day and the time only once both were said.
        var before = await lines.CountAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a line" }).ClickAsync();
        await Expect(lines).ToHaveCountAsync(before + 1);
        var added = lines.Nth(before);
        await Expect(added.Locator("legend")).ToHaveTextAsync($"Line {before + 1}");
        await added.GetByLabel("The persona says").FillAsync("Thursday at four, then. I'll be there.");
        await added.GetByLabel("… or words (commas)").FillAsync("thursday, after school");
        var said = added.GetByLabel(SaidLabel);
        await said.FillAsync("thursday|thurs, x");

        // A part of one letter is met by almost any reply: the problem is shown beside the line, not only in the list.
        await page.GetByTestId("validate-scenario").ClickAsync();
        var lineProblem = added.Locator($"[data-issue-for='/replyLines/{before}/respondsTo']");
        await Expect(lineProblem).ToHaveTextAsync("Problem: Value should be at least 2 characters");
        // Only that line is told: the farewell above it, which is fine, shows nothing (it was told "Value is "object" but
        // should be "string"", a complaint of the shape a line may also have, whenever anything else was wrong).
        await Expect(farewell.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(added.GetByRole(AriaRole.Alert)).ToHaveCountAsync(1);
        var colour = await lineProblem.EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.Matches(@"^rgb\((1[5-9]\d|2\d\d), \d{1,2}, \d{1,2}", colour); // red: Bootstrap's danger text, not the body's grey
        await added.ScrollIntoViewIfNeededAsync();
        await web.ScreenshotAsync("reply-line-problem", fullPage: false);

        await said.FillAsync("thursday|thurs, four o'clock|4pm|4 pm|at four");
        // The line waits for one of his own: one he never says would keep it unsaid for ever, and the instructor is told so.
        var after = added.GetByLabel(AfterLabel);
        await after.FillAsync("A line he never says.");
        await page.GetByTestId("validate-scenario").ClickAsync();
        await Expect(added.Locator($"[data-issue-for='/replyLines/{before}']")).ToHaveTextAsync(
            "Problem: 'A line he never says.' is not another line of this persona, so this line would never be said.");
        await after.FillAsync(HisLine);
        await page.GetByTestId("validate-scenario").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("No problems found");
        await Expect(lineProblem).ToHaveCountAsync(0);

        // The JSON tab shows what the form wrote: each comma a part, the "|" wordings kept inside it.
        await page.GetByTestId("tab-json").ClickAsync();
        var document = JsonNode.Parse(await page.GetByTestId("scenario-json").InputValueAsync())!;
        var respondsTo = document["replyLines"]![before]!["respondsTo"]!;
        Assert.Equal(["thursday", "after school"], respondsTo["cues"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["thursday|thurs", "four o'clock|4pm|4 pm|at four"], respondsTo["said"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([HisLine], respondsTo["after"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Saved, and opened again: the line is as the instructor left it.
        await page.GetByTestId("publish-scenario").ClickAsync();
        await Expect(page.GetByTestId("editor-notice")).ToContainTextAsync("Saved");
        await page.ReloadAsync();
        await web.ReadyAsync();
        await page.GetByTestId("tab-replies").ClickAsync();
        var reopened = page.GetByTestId("reply-line").Nth(before);
        await Expect(reopened.GetByLabel("The persona says")).ToHaveValueAsync("Thursday at four, then. I'll be there.");
        await Expect(reopened.GetByLabel("… or words (commas)")).ToHaveValueAsync("thursday, after school");
        await Expect(reopened.GetByLabel(SaidLabel)).ToHaveValueAsync("thursday|thurs, four o'clock|4pm|4 pm|at four");
        await Expect(reopened.GetByLabel(AfterLabel)).ToHaveValueAsync(HisLine);
        Assert.Empty(web.PageErrors);
    }
}
