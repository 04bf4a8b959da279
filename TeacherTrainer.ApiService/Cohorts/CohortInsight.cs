using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Practice;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// What a cohort's instructor learns from its practice: the dashboard (heat map per scenario and
/// criterion, trends by week, assignments done), the debrief of one persona line, and the export.
/// It reads only the sessions <see cref="SessionAccess.VisibleInCohorts"/> lets the cohort see, and
/// every number is an effective score (<see cref="EffectiveScores"/>), so the dashboard agrees with
/// what each trainee reads on their own pages.
/// </summary>
public sealed class CohortInsight(TeacherDbContext db, SessionAccess access, TimeProvider time)
{
    /// <summary>A completed, visible session with its effective criterion scores.</summary>
    private sealed record ScoredSession(Guid Id, Guid TraineeId, Guid ScenarioId, Guid? AssignmentId, string? EndReason, DateTimeOffset At,
        int? Overall, IReadOnlyList<EffectiveCriterion> Criteria);

    /// <summary>Weeks shown at most in the trends (two years of a programme).</summary>
    public const int MaxWeeks = 104;

    public async Task<CohortDashboard> DashboardAsync(Cohort cohort, CancellationToken ct)
    {
        var members = await MembersAsync(cohort.Id, ct);
        var sessions = await ScoredSessionsAsync(cohort.Id, ct);
        var scenarios = await ScenarioTitlesAsync(sessions.Select(s => s.ScenarioId), ct);
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.CohortId == cohort.Id).OrderBy(a => a.DueAt)
            .Select(a => new { a.Id, a.ScenarioId, a.DueAt }).ToListAsync(ct);
        var assignmentTitles = await ScenarioTitlesAsync(assignments.Select(a => a.ScenarioId), ct);

        var trainees = members.Select(m =>
        {
            var theirs = sessions.Where(s => s.TraineeId == m.Id && s.Overall is not null).ToList();
            var done = theirs.Where(s => s.AssignmentId is not null && s.EndReason is PracticeService.GoalsMet or PracticeService.TurnLimit)
                .Select(s => s.AssignmentId!.Value).Distinct().ToList();
            return new DashboardTrainee(m.Id, m.Name, theirs.Count,
                theirs.Count == 0 ? null : (int)Math.Round(theirs.Average(s => s.Overall!.Value)), done);
        }).ToList();

        var heatmaps = sessions.GroupBy(s => s.ScenarioId)
            .Select(g =>
            {
                var (slug, title) = scenarios[g.Key];
                var criteria = g.OrderBy(s => s.At).SelectMany(s => s.Criteria).DistinctBy(c => c.Key)
                    .OrderBy(c => c.Key == "uptake").Select(c => new DashboardCriterion(c.Key, c.Name)).ToList();
                var rows = members.Where(m => g.Any(s => s.TraineeId == m.Id)).Select(m =>
                {
                    var theirs = g.Where(s => s.TraineeId == m.Id).OrderBy(s => s.At).ToList();
                    var latest = theirs[^1];
                    var cells = criteria.Select(c =>
                    {
                        var scores = theirs.Select(s => s.Criteria.FirstOrDefault(x => x.Key == c.Key)?.Score).Where(x => x is not null).Select(x => x!.Value).ToList();
                        var latestScore = latest.Criteria.FirstOrDefault(x => x.Key == c.Key)?.Score;
                        return new HeatmapCell(c.Key, latestScore, scores.Count == 0 ? null : scores.Max(), latestScore is null ? null : EffectiveScores.Band(latestScore.Value).WireName());
                    }).ToList();
                    return new HeatmapRow(m.Id, m.Name, latest.Id, latest.At, theirs.Count, cells);
                }).ToList();
                return new ScenarioHeatmap(slug, title, criteria, rows);
            })
            .OrderBy(h => h.ScenarioTitle, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        return new CohortDashboard(cohort.Id, cohort.Name, time.GetUtcNow(), trainees,
            assignments.Select(a => new DashboardAssignment(a.Id, assignmentTitles[a.ScenarioId].Slug, assignmentTitles[a.ScenarioId].Title, a.DueAt)).ToList(),
            heatmaps, Weeks(cohort.CreatedAt, sessions));
    }

    /// <summary>
    /// The programme week by week, from the week the cohort was created (weeks start on Monday, UTC) to
    /// the latest practice: sessions completed that week and the mean effective score of each criterion.
    /// </summary>
    private List<WeekTrend> Weeks(DateTimeOffset createdAt, IReadOnlyList<ScoredSession> sessions)
    {
        static DateOnly WeekOf(DateTimeOffset at)
        {
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        }
        if (sessions.Count == 0) return [];
        var first = WeekOf(new[] { createdAt, sessions.Min(s => s.At) }.Min());
        var last = WeekOf(sessions.Max(s => s.At));
        var weeks = new List<WeekTrend>();
        var names = sessions.SelectMany(s => s.Criteria).DistinctBy(c => c.Key).ToDictionary(c => c.Key, c => c.Name);
        for (var (week, number) = (first, 1); week <= last && number <= MaxWeeks; week = week.AddDays(7), number++)
        {
            var start = week;
            var these = sessions.Where(s => WeekOf(s.At) == start).ToList();
            var criteria = these.SelectMany(s => s.Criteria).GroupBy(c => c.Key)
                .Select(g => new WeekCriterion(g.Key, names[g.Key], (int)Math.Round(g.Average(c => c.Score)), g.Count()))
                .OrderBy(c => c.Key == "uptake").ThenBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
            weeks.Add(new WeekTrend(number, start, these.Count, criteria));
        }
        return weeks;
    }

    /// <summary>
    /// Every trainee's reply at turn <paramref name="turn"/> (1-based) of their latest completed session of
    /// the scenario, grouped by the persona line they answered (the opening line is the same for all; later
    /// lines depend on the conversation), each with its judgement.
    /// </summary>
    public async Task<DebriefView> DebriefAsync(Guid cohortId, string? scenarioSlug, int turn, CancellationToken ct)
    {
        var visible = Completed(cohortId);
        var practised = await visible.GroupBy(s => s.ScenarioId).Select(g => new { ScenarioId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var titles = await ScenarioTitlesAsync(practised.Select(p => p.ScenarioId), ct);
        var options = practised.Select(p => new DebriefScenario(titles[p.ScenarioId].Slug, titles[p.ScenarioId].Title, p.Count))
            .OrderBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        var chosen = scenarioSlug is null
            ? options.OrderByDescending(o => o.Sessions).FirstOrDefault()
            : options.FirstOrDefault(o => o.Slug == scenarioSlug);
        if (chosen is null) return new DebriefView(scenarioSlug, null, null, turn, 0, options, []);
        var scenarioId = titles.Single(t => t.Value.Slug == chosen.Slug).Key;

        var latest = await visible.Where(s => s.ScenarioId == scenarioId)
            .Include(s => s.ScenarioVersion)
            .Include(s => s.Turns.Where(t => t.RetriedAt == null)).ThenInclude(t => t.CriterionScores)
            .AsSplitQuery().ToListAsync(ct);
        var perTrainee = latest.GroupBy(s => s.UserId).Select(g => g.OrderByDescending(s => s.EndedAt ?? s.StartedAt).First()).ToList();
        var names = await db.Users.AsNoTracking().Where(u => perTrainee.Select(s => s.UserId).Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var turns = perTrainee.Count == 0 ? 0 : perTrainee.Max(s => s.Turns.Count);
        var persona = perTrainee.Select(s => s.ScenarioVersion!.Content.Persona.Name).FirstOrDefault();

        var replies = perTrainee
            .Select(s => (Session: s, Turn: EffectiveScores.Counted(s.Turns).ElementAtOrDefault(turn - 1)))
            .Where(x => x.Turn is not null)
            .Select(x =>
            {
                var t = x.Turn!;
                var effective = EffectiveScores.Turn(t);
                var criteria = t.CriterionScores.OrderBy(c => c.CriterionKey == "uptake").ThenBy(c => c.CriterionName)
                    .Select(c => new DebriefCriterion(c.CriterionKey, c.CriterionName, EffectiveScores.Criterion(c), c.EngineScore,
                        t.Judgement.Criteria.FirstOrDefault(j => j.Key == c.CriterionKey)?.Evidence)).ToList();
                return (Line: t.PersonaPrompt, Reply: new DebriefReply(x.Session.Id, x.Session.UserId, names.GetValueOrDefault(x.Session.UserId, ""),
                    t.TraineeText, effective, t.Score, EffectiveScores.Band(effective).WireName(), criteria, t.Judgement.Suggestion));
            })
            .ToList();
        var lines = replies.GroupBy(r => r.Line)
            .Select(g => new DebriefLine(g.Key, g.Select(r => r.Reply).OrderBy(r => r.TraineeName, StringComparer.CurrentCultureIgnoreCase).ToList()))
            .OrderByDescending(l => l.Replies.Count).ThenBy(l => l.PersonaLine, StringComparer.Ordinal)
            .ToList();
        return new DebriefView(chosen.Slug, chosen.Title, persona, turn, turns, options, lines);
    }

    /// <summary>One row per trainee × scenario × criterion: latest and best effective scores, as in the heat map.</summary>
    public async Task<List<ExportRow>> ExportRowsAsync(Cohort cohort, CancellationToken ct)
    {
        var dashboard = await DashboardAsync(cohort, ct);
        var emails = await db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohort.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email ?? "", ct);
        return dashboard.Scenarios.SelectMany(h => h.Rows.SelectMany(r => h.Criteria.Zip(r.Cells).Select(pair => new ExportRow(
                r.TraineeName, emails.GetValueOrDefault(r.TraineeId, ""), h.ScenarioSlug, h.ScenarioTitle, pair.First.Key, pair.First.Name,
                pair.Second.Latest, pair.Second.Best, r.Sessions, r.LatestAt))))
            .OrderBy(r => r.Trainee, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.ScenarioTitle).ThenBy(r => r.CriterionKey == "uptake").ThenBy(r => r.CriterionName)
            .ToList();
    }

    /// <summary>Completed sessions with at least one turn that the cohort may see (the one rule: <see cref="SessionAccess"/>).</summary>
    private IQueryable<PracticeSession> Completed(Guid cohortId)
        => access.VisibleInCohorts(db.Cohorts.Where(c => c.Id == cohortId).Select(c => c.Id)).AsNoTracking()
            .Where(s => s.Status == SessionStatus.Completed && s.TurnCount > 0);

    private async Task<List<ScoredSession>> ScoredSessionsAsync(Guid cohortId, CancellationToken ct)
    {
        var sessions = await Completed(cohortId)
            .Include(s => s.Turns.Where(t => t.RetriedAt == null)).ThenInclude(t => t.CriterionScores)
            .AsSplitQuery().ToListAsync(ct);
        return sessions.Select(s => new ScoredSession(s.Id, s.UserId, s.ScenarioId, s.AssignmentId, s.EndReason, s.EndedAt ?? s.StartedAt,
            EffectiveScores.Session(s.Turns), EffectiveScores.Criteria(s.Turns))).ToList();
    }

    private async Task<List<(Guid Id, string Name)>> MembersAsync(Guid cohortId, CancellationToken ct)
        => (await db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohortId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName }).ToListAsync(ct))
            .OrderBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase).Select(m => (m.Id, m.DisplayName)).ToList();

    private async Task<Dictionary<Guid, (string Slug, string Title)>> ScenarioTitlesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return (await db.Scenarios.AsNoTracking().Where(s => wanted.Contains(s.Id)).Select(s => new { s.Id, s.Slug, s.Title }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => (s.Slug, s.Title));
    }
}

public sealed record ExportRow(string Trainee, string Email, string ScenarioSlug, string ScenarioTitle, string CriterionKey, string CriterionName,
    int? Latest, int? Best, int Sessions, DateTimeOffset LastPractised);
