using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// One truth for every score (an override is read the same on every endpoint that shows a score),
/// and the cohort dashboard, debrief and export built on it, counting only what the cohort may see.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CohortInsightTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Band Band(int score) => JudgementBands.For(score);

    [Fact]
    public async Task An_override_is_read_the_same_on_every_endpoint_that_shows_a_score()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Ms Okafor");
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Priya Trainee");
        Guid cohortId, assignmentId;
        string slug;
        await using (var scope = api.CreateScope())
        {
            var db = api.Db(scope);
            cohortId = (await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id)).Id;
            var assignment = await TestData.AddAssignmentAsync(db, cohortId, instructorUser.Id);
            assignmentId = assignment.Id;
            slug = await db.Scenarios.Where(s => s.Id == assignment.ScenarioId).Select(s => s.Slug).SingleAsync(Ct);
        }
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);

        // A real session through the engine: three replies, then ended.
        var sessionId = (await SessionApi.StartSessionAsync(trainee, slug, assignmentId)).Id;
        await SessionApi.TakeTurnAsync(trainee, sessionId, "I can see you're upset. What happened just now?");
        await SessionApi.TakeTurnAsync(trainee, sessionId, "Just do it.");
        await SessionApi.TakeTurnAsync(trainee, sessionId, "You said it felt unfair. Would you like to start with the first part together, or on your own?");
        var ended = await trainee.PostAsync($"/api/sessions/{sessionId}/end", null, Ct);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var before = (await ended.Content.ReadFromJsonAsync<SessionView>(Ct))!.Summary!.OverallScore;

        // Turn 3, its scenario criterion with the biggest weight, overridden down to 5.
        var turn = (await trainee.GetFromJsonAsync<SessionView>($"/api/sessions/{sessionId}", Ct))!.Turns[2];
        var turnId = turn.Id;
        var target = turn.Judgement.Criteria.OrderByDescending(c => c.Weight).First();
        var key = target.Key;
        var url = $"/api/review/turns/{turnId}/scores/{key}";
        const string reason = "Offered a choice but ignored what the student said about the test.";

        // Decimals are refused, naming the field, and change nothing. (A validation problem's body is
        // the raw wire: read as JSON, not a contract.)
        var fractional = await instructor.PutAsJsonAsync(url, new { score = 5.5, reason }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, fractional.StatusCode);
        var problem = await fractional.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("decimals", problem.GetProperty("errors").GetProperty("score")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(5, reason), Ct)).StatusCode);

        // What every page should show, computed here from the judgements: effective criterion scores, the
        // overridden turn re-weighted with the engine's weights, the session the mean of its turns.
        var session = (await trainee.GetFromJsonAsync<SessionView>($"/api/sessions/{sessionId}", Ct))!;
        var turns = session.Turns.Where(t => !t.Retried).ToList();
        int TurnScore(TurnView t)
        {
            if (t.Id != turnId) return t.Score;
            var weights = t.Judgement.Criteria.ToDictionary(c => c.Key, c => c.Weight);
            var scores = t.CriterionScores;
            return (int)Math.Round(scores.Sum(c => weights[c.Key] * (c.Key == key ? 5 : c.EngineScore)) / scores.Sum(c => weights[c.Key]));
        }
        var turnScores = turns.Select(TurnScore).ToList();
        var overall = (int)Math.Round(turnScores.Average());
        var overriddenTurn = turnScores[2];
        Assert.NotEqual(before, overall);
        var criterionMean = (int)Math.Round(turns.Average(t => t.Id == turnId ? 5 : t.CriterionScores.Single(c => c.Key == key).EngineScore));

        // The trainee's summary and transcript.
        var summary = session.Summary!;
        Assert.Equal(overall, summary.OverallScore);
        Assert.Equal(Band(overall), summary.Band);
        var summaryCriterion = summary.Criteria.Single(c => c.Key == key);
        Assert.Equal(criterionMean, summaryCriterion.Score);
        Assert.Equal(Band(criterionMean), summaryCriterion.Band);
        var seenTurn = session.Turns[2];
        Assert.Equal(overriddenTurn, seenTurn.EffectiveScore);
        Assert.Equal(Band(overriddenTurn), seenTurn.EffectiveBand);
        var seenCriterion = seenTurn.CriterionScores.Single(c => c.Key == key);
        Assert.Equal(target.Score, seenCriterion.EngineScore);
        Assert.Equal(5, seenCriterion.EffectiveScore);
        Assert.Equal(reason, seenCriterion.OverrideReason);
        Assert.Equal("Ms Okafor", seenCriterion.OverriddenBy);

        // My sessions and Progress.
        var mine = (await trainee.GetFromJsonAsync<List<SessionListItem>>("/api/sessions", Ct))!.Single(s => s.Id == sessionId);
        Assert.Equal(overall, mine.OverallScore);
        var progress = (await trainee.GetFromJsonAsync<ProgressView>("/api/progress", Ct))!;
        Assert.Equal(overall, progress.Overall.Single(p => p.SessionId == sessionId).Score);
        Assert.Equal(overall, progress.Recent.Single(s => s.Id == sessionId).OverallScore);
        Assert.Equal(overall, progress.Totals.AverageScore);

        // The review page, for the instructor and for the trainee alike.
        foreach (var reader in new[] { instructor, trainee })
        {
            var review = (await reader.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{sessionId}", Ct))!;
            Assert.Equal(overall, review.OverallScore);
            var reviewed = review.Turns[2];
            Assert.Equal(overriddenTurn, reviewed.Score);
            Assert.Equal(Band(overriddenTurn), reviewed.Band);
            Assert.Equal(turn.Score, reviewed.EngineScore);
            var criterion = reviewed.Criteria.Single(c => c.Key == key);
            Assert.Equal(reason, criterion.OverrideReason);
            Assert.Equal(target.Score, criterion.EngineScore);
        }

        // The cohort: its sessions list, dashboard, debrief and export.
        var listed = Assert.Single((await instructor.GetFromJsonAsync<List<CohortSessionView>>($"/api/cohorts/{cohortId}/sessions", Ct))!);
        Assert.Equal(overall, listed.OverallScore);
        var dashboard = (await instructor.GetFromJsonAsync<CohortDashboard>($"/api/cohorts/{cohortId}/dashboard", Ct))!;
        Assert.Equal(overall, Assert.Single(dashboard.Trainees).AverageScore);
        var heatmap = dashboard.Scenarios.Single(h => h.ScenarioSlug == slug);
        var cell = heatmap.Rows[0].Cells.Single(c => c.Key == key);
        Assert.Equal(criterionMean, cell.Latest);
        Assert.Equal(criterionMean, cell.Best);
        var week = dashboard.Weeks[^1];
        Assert.Equal(criterionMean, week.Criteria.Single(c => c.Key == key).MeanScore);
        var debrief = (await instructor.GetFromJsonAsync<DebriefView>($"/api/cohorts/{cohortId}/debrief?scenario={slug}&turn=3", Ct))!;
        var reply = debrief.Lines[0].Replies[0];
        Assert.Equal(overriddenTurn, reply.Score);
        Assert.Equal(turn.Score, reply.EngineScore);
        var csv = await instructor.GetStringAsync($"/api/cohorts/{cohortId}/export.csv", Ct);
        Assert.Contains($",{key},", csv);
        Assert.Contains(csv.Split("\r\n"), line => line.Contains($",{key},") && line.Contains($",{criterionMean},{criterionMean},1,"));
    }

    [Fact]
    public async Task The_dashboard_counts_only_what_the_cohort_may_see_and_the_export_is_safe_to_open()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Mr Adeyemi");
        // A name that a spreadsheet would run as a formula.
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "=HYPERLINK(\"http://evil.example\",\"x\")");
        var classmateUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Ben Classmate");
        Guid cohortId, visibleId, hiddenId;
        await using (var scope = api.CreateScope())
        {
            var db = api.Db(scope);
            cohortId = (await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id, classmateUser.Id)).Id;
            var assignment = await TestData.AddAssignmentAsync(db, cohortId, instructorUser.Id);
            visibleId = (await TestData.AddSessionAsync(db, traineeUser.Id, assignment.Id)).Id;
            await TestData.AddSessionAsync(db, classmateUser.Id, assignment.Id, turns: 3);
            // Practised outside the assignment and not shared: the instructor must not see it counted anywhere.
            hiddenId = (await TestData.AddSessionAsync(db, traineeUser.Id, turns: 4)).Id;
            await db.TurnCriterionScores.Where(c => db.Turns.Any(t => t.Id == c.TurnId && t.SessionId == hiddenId)).ExecuteUpdateAsync(u => u.SetProperty(c => c.EngineScore, 99), Ct);
        }
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);

        var dashboard = (await instructor.GetFromJsonAsync<CohortDashboard>($"/api/cohorts/{cohortId}/dashboard", Ct))!;
        var trainees = dashboard.Trainees;
        Assert.Equal(2, trainees.Count);
        Assert.All(trainees, t => Assert.Equal(1, t.Sessions));
        Assert.All(trainees, t => Assert.Single(t.AssignmentsDone));
        var heatmap = Assert.Single(dashboard.Scenarios);
        var rows = heatmap.Rows;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(40, r.Cells[0].Best));
        Assert.Contains(rows, r => r.LatestSessionId == visibleId);
        var week = Assert.Single(dashboard.Weeks);
        Assert.Equal(2, week.Sessions);
        Assert.Equal(40, week.Criteria[0].MeanScore);

        // The debrief: both replies to the same persona line, side by side; the hidden session is not there.
        var debrief = (await instructor.GetFromJsonAsync<DebriefView>($"/api/cohorts/{cohortId}/debrief?turn=1", Ct))!;
        var line = Assert.Single(debrief.Lines);
        Assert.Equal("I don't want to do this.", line.PersonaLine);
        Assert.Equal(2, line.Replies.Count);
        Assert.DoesNotContain(line.Replies, r => r.SessionId == hiddenId);
        Assert.Equal(3, debrief.Turns);

        // The export: text/csv, one row per trainee × scenario × criterion, the formula neutralised.
        using var response = await instructor.GetAsync($"/api/cohorts/{cohortId}/export.csv", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("trainee,email,scenario,scenario_title,criterion,criterion_name,latest_score,best_score,sessions,last_practised", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith('='));
        Assert.DoesNotContain(lines, l => l.Contains(",99,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 20", "'+44 20")]
    [InlineData("-3", "'-3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Ann, Lee", "\"Ann, Lee\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_never_start_a_formula(string value, string written)
        => Assert.Equal(written, TeacherTrainer.ApiService.Cohorts.Csv.Cell(value));
}
