using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Display;

/// <summary>Chart.js configurations for the progress and cohort charts (serialised to JSON for charts.js).</summary>
public static class ChartConfigs
{
    /// <summary>
    /// The Okabe-Ito palette (told apart with colour-blindness), its yellow dropped and its orange and sky
    /// blue darkened so every line keeps 3:1 against white (WCAG non-text contrast).
    /// </summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9A6B00", "#2F86C4", "#000000", "#8C564B"];

    /// <summary>One line per skill over the completed sessions (oldest first), and the overall score as a dashed line.</summary>
    public static object SkillsOverTime(ProgressView progress)
    {
        var sessions = progress.Overall;
        var labels = sessions.Select((p, i) => $"{i + 1} · {p.At:d MMM}").ToList();
        var index = sessions.Select((p, i) => (p.SessionId, i)).ToDictionary(x => x.SessionId, x => x.i);
        var datasets = new List<object>();
        var colour = 0;
        foreach (var skill in progress.Skills.Where(s => s.Points.Count > 0))
        {
            var data = new int?[sessions.Count];
            foreach (var point in skill.Points)
            {
                if (index.TryGetValue(point.SessionId, out var i)) data[i] = point.Score;
            }
            var c = Palette[colour++ % Palette.Count];
            datasets.Add(new { label = skill.Name, data, borderColor = c, backgroundColor = c, spanGaps = true, tension = 0.2, pointRadius = 4, borderWidth = 2 });
        }
        datasets.Add(new
        {
            label = "Overall",
            data = sessions.Select(p => (int?)p.Score).ToArray(),
            borderColor = "#17324d", backgroundColor = "#17324d", borderDash = new[] { 6, 4 }, borderWidth = 3, pointRadius = 5, spanGaps = true, tension = 0.2,
        });
        return new
        {
            type = "line",
            data = new { labels, datasets },
            options = new
            {
                responsive = true,
                maintainAspectRatio = false,
                animation = false,
                interaction = new { mode = "nearest", intersect = false },
                scales = new
                {
                    y = new { min = 0, max = 100, title = new { display = true, text = "Score (0-100)" } },
                    x = new { title = new { display = true, text = "Completed session" } },
                },
                plugins = new { legend = new { position = "bottom" } },
            },
        };
    }

    /// <summary>For each category, how many of its scenarios have been practised, as stacked horizontal bars.</summary>
    public static object Coverage(IReadOnlyList<CategoryCoverage> categories) => new
    {
        type = "bar",
        data = new
        {
            labels = categories.Select(c => Labels.Category(c.Category)).ToList(),
            datasets = new object[]
            {
                new { label = "Practised", data = categories.Select(c => c.ScenariosPractised).ToArray(), backgroundColor = "#0072B2" },
                new { label = "Not yet", data = categories.Select(c => Math.Max(0, c.ScenariosTotal - c.ScenariosPractised)).ToArray(), backgroundColor = "#d0d7de" },
            },
        },
        options = new
        {
            indexAxis = "y",
            responsive = true,
            maintainAspectRatio = false,
            animation = false,
            scales = new
            {
                x = new { stacked = true, beginAtZero = true, ticks = new { precision = 0 }, title = new { display = true, text = "Scenarios" } },
                y = new { stacked = true },
            },
            plugins = new { legend = new { position = "bottom" } },
        },
    };
}
