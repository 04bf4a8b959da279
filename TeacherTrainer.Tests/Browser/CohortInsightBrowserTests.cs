using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// One truth for every score, as a person reads it (an override seen identically on the trainee's summary,
/// My sessions, Progress and the instructor's review), and the cohort dashboard: the heat map's colours
/// from the computed style in both themes, the debrief side by side, the CSV download.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CohortInsightBrowserTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string Scenario = "year6-sats-practice-paper-panic";
    private const string Reason = "Reassured before finding out what the worry was.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each band's background and text colour in the light theme (app.css).</summary>
    private static readonly Dictionary<string, (string Background, string Text)> Light = new()
    {
        ["excellent"] = ("rgb(30, 123, 62)", "rgb(255, 255, 255)"),
        ["strong"] = ("rgb(166, 219, 178)", "rgb(16, 51, 26)"),
        ["developing"] = ("rgb(253, 228, 154)", "rgb(61, 46, 0)"),
        ["weak"] = ("rgb(246, 185, 138)", "rgb(63, 28, 0)"),
        ["poor"] = ("rgb(233, 139, 128)", "rgb(45, 6, 0)"),
    };

    [Fact]
    public async Task An_override_reads_the_same_on_every_page_and_the_cohort_dashboard_shows_colour_debrief_and_export()
    {
        var setup = new ApiSetup(system);
        var instructorEmail = await setup.CreateInstructorAsync("Nadia Instructor");
        using var instructorApi = await setup.SignInAsync(instructorEmail, ApiSetup.Password);
        var (cohortId, code) = await ApiSetup.CreateCohortAsync(instructorApi, "Autumn seminar group");
        using var assigned = await instructorApi.PostAsJsonAsync($"/api/cohorts/{cohortId}/assignments", new { scenarioSlug = Scenario, dueAt = DateTimeOffset.UtcNow.AddDays(7) }, Ct);
        assigned.EnsureSuccessStatusCode();
        var assignmentId = (await assigned.Content.ReadFromJsonAsync<AssignmentView>(Ct))!.Id;
        var (ameliaEmail, amelia) = await setup.SignUpTraineeAsync("Amelia Trainee", code);
        var (_, bilal) = await setup.SignUpTraineeAsync("Bilal Trainee", code);
        Guid session;
        using (amelia)
        {
            session = await ApiSetup.PractiseAsync(amelia, Scenario, assignmentId,
                "I can see this paper is really worrying you. What's the part that feels hardest?",
                "It's only a practice paper, so don't worry about it.",
                "You said the timing scares you. Shall we try one question together, or would you rather start on your own?");
        }
        using (bilal)
        {
            await ApiSetup.PractiseAsync(bilal, Scenario, assignmentId, "Just get on with it.", "Stop fussing.");
        }

        // The instructor changes turn 2's heaviest criterion to 5 (through the API: this test is about what everyone then reads).
        var before = (await instructorApi.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{session}", Ct))!;
        var turnId = before.Turns[1].TurnId;
        // The criterion that weighs most in that judgement (some carry no weight yet: "not yet due").
        var judged = (await instructorApi.GetFromJsonAsync<SessionView>($"/api/sessions/{session}", Ct))!;
        var key = judged.Turns.Single(t => t.Id == turnId).Judgement.Criteria.OrderByDescending(c => c.Weight * Math.Abs(c.Score - 5)).First().Key;
        using (var changed = await instructorApi.PutAsJsonAsync($"/api/review/turns/{turnId}/scores/{key}", new { score = 5, reason = Reason }, Ct))
        {
            changed.EnsureSuccessStatusCode();
        }
        var after = (await instructorApi.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{session}", Ct))!;
        var overall = after.OverallScore!.Value;
        var turnScore = after.Turns[1].Score;
        Assert.NotEqual(before.OverallScore, overall);

        // The trainee reads the same number on the summary, My sessions and Progress, and why it changed.
        await using var learner = await WebUi.OpenAsync(browsers, system.App);
        var lp = learner.Page;
        await learner.SignInAsync(ameliaEmail, ApiSetup.Password);
        await learner.GoToAsync($"/sessions/{session}");
        await Expect(lp.GetByTestId("summary-score")).ToHaveTextAsync(overall.ToString());
        await Expect(lp.GetByTestId("transcript-turn").Nth(1).GetByTestId("turn-score")).ToContainTextAsync($"{turnScore}/100");
        await Expect(lp.GetByTestId("score-override")).ToContainTextAsync(Reason);
        await lp.Locator("[data-testid=transcript] details").Nth(1).Locator("summary").ClickAsync();
        await Expect(lp.GetByTestId("override-note").First).ToBeVisibleAsync();
        await Expect(lp.GetByTestId("override-note").First).ToContainTextAsync($"Nadia Instructor changed this score from the engine's");
        await Expect(lp.GetByTestId("override-note").First).ToContainTextAsync(Reason);
        await learner.GoToAsync("/sessions");
        await Expect(lp.GetByTestId("session-score").First).ToContainTextAsync(overall.ToString());
        await learner.GoToAsync("/progress");
        await Expect(lp.GetByTestId("recent-score").First).ToContainTextAsync($"{overall}/100");

        // The instructor's review: the same overall, the turn's effective score with the engine's beside it, the reason.
        await using var teacher = await WebUi.OpenAsync(browsers, system.App);
        var page = teacher.Page;
        await teacher.SignInAsync(instructorEmail, ApiSetup.Password);
        await teacher.GoToAsync($"/teach/review/{session}");
        await Expect(page.GetByTestId("review-overall")).ToHaveTextAsync(overall.ToString());
        await Expect(page.GetByTestId("review-turn").Nth(1).GetByTestId("review-turn-score")).ToContainTextAsync($"{turnScore}/100");
        await Expect(page.GetByTestId("override-reason-shown")).ToContainTextAsync(Reason);

        // The cohort dashboard: every heat cell painted in its band's colours (computed style), text readable.
        await teacher.GoToAsync($"/teach/cohorts/{cohortId}");
        await Expect(page.GetByTestId("heatmap")).ToContainTextAsync("Amelia Trainee");
        await Expect(page.GetByTestId("heatmap")).ToContainTextAsync("Bilal Trainee");
        await Expect(page.GetByTestId("heatmap").Locator("caption")).ToContainTextAsync("latest completed session");
        var cells = await HeatCellsAsync(page);
        Assert.True(cells.Count >= 4, $"{cells.Count} heat cells");
        foreach (var cell in cells)
        {
            Assert.Equal(Light[cell.Band].Background, cell.Background);
            Assert.Equal(Light[cell.Band].Text, cell.Color);
            Assert.Matches(@"^\d+", cell.Text);
            Assert.True(Contrast(cell.Background, cell.Color) >= 4.5, $"{cell.Band}: {cell.Color} on {cell.Background}");
        }
        Assert.True(cells.Select(c => c.Band).Distinct().Count() >= 2, "the cohort's scores span more than one band");
        await Expect(page.GetByTestId("trend-week")).ToHaveCountAsync(1);
        Directory.CreateDirectory(WebUi.ScreenshotDirectory);
        await page.Locator("#dashboard").ScreenshotAsync(new() { Path = Path.Combine(WebUi.ScreenshotDirectory, "cohort-dashboard-heatmap.png") });
        ReadmeImages.Copy("cohort-dashboard-heatmap");

        // In a dark theme the bands keep distinct colours and readable text.
        await page.EvaluateAsync("() => document.documentElement.setAttribute('data-bs-theme', 'dark')");
        foreach (var cell in await HeatCellsAsync(page))
        {
            Assert.NotEqual(Light[cell.Band].Background, cell.Background);
            Assert.True(Contrast(cell.Background, cell.Color) >= 4.5, $"dark {cell.Band}: {cell.Color} on {cell.Background}");
        }
        await page.EvaluateAsync("() => document.documentElement.removeAttribute('data-bs-theme')");

        // The debrief: both replies to the persona's opening line, side by side.
        var line = page.GetByTestId("debrief-line").First;
        await Expect(line.GetByTestId("debrief-reply")).ToHaveCountAsync(2);
        await Expect(line).ToContainTextAsync("Amelia Trainee");
        await Expect(line).ToContainTextAsync("Just get on with it.");
        var first = await line.GetByTestId("debrief-reply").Nth(0).BoundingBoxAsync();
        var second = await line.GetByTestId("debrief-reply").Nth(1).BoundingBoxAsync();
        Assert.True(first is not null && second is not null);
        Assert.True(Math.Abs(first.Y - second.Y) < 2 && second.X > first.X + first.Width - 1, "the replies sit side by side");
        await page.GetByTestId("debrief-turn").SelectOptionAsync("2");
        await Expect(page.GetByTestId("debrief-reply").Filter(new() { HasText = "Amelia Trainee" }).GetByTestId("debrief-score")).ToContainTextAsync($"{turnScore}/100");
        await page.Locator("#debrief").ScreenshotAsync(new() { Path = Path.Combine(WebUi.ScreenshotDirectory, "cohort-debrief.png") });

        // The export downloads as CSV, a row per trainee × scenario × criterion.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, Ct);
        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("trainee,email,scenario,", rows[0]);
        Assert.Equal(await page.Locator("[data-testid=heatmap] td.heat").CountAsync() + 1, rows.Length);
        Assert.Contains(rows, r => r.StartsWith("Amelia Trainee,", StringComparison.Ordinal) && r.Contains($",{key},", StringComparison.Ordinal));
        await teacher.ScreenshotAsync("cohort-page");

        Assert.Empty(teacher.PageErrors);
        Assert.Empty(learner.PageErrors);
        Assert.Empty(teacher.ConsoleErrors);
        Assert.Empty(learner.ConsoleErrors);
    }

    /// <summary>A heat cell as the browser paints it (settable: Playwright fills it from the page's object).</summary>
    private sealed class HeatCell
    {
        public string Band { get; set; } = "";
        public string Background { get; set; } = "";
        public string Color { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private static async Task<List<HeatCell>> HeatCellsAsync(IPage page)
        => (await page.EvaluateAsync<HeatCell[]>("""
            () => [...document.querySelectorAll('[data-testid=heatmap] td[data-testid=heat-cell]')].map(td => {
                const style = getComputedStyle(td);
                return { band: td.dataset.band, background: style.backgroundColor, color: style.color, text: td.innerText.trim() };
            })
            """)).ToList();

    /// <summary>WCAG 2.1 contrast ratio of two computed <c>rgb(...)</c> colours.</summary>
    private static double Contrast(string a, string b)
    {
        static double Luminance(string rgb)
        {
            var parts = rgb[(rgb.IndexOf('(') + 1)..rgb.IndexOf(')')].Split(',').Take(3).Select(p => double.Parse(p.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 255).ToArray();
            static double Linear(double c) => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            return 0.2126 * Linear(parts[0]) + 0.7152 * Linear(parts[1]) + 0.0722 * Linear(parts[2]);
        }
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }
}
