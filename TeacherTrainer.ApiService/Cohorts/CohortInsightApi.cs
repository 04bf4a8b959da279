using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// Cohort insight for its instructor (and admins): the dashboard in one call, the debrief of a persona
/// line, and the results as CSV. Trainees are refused (403, the instructor policy); an instructor who
/// does not teach the cohort is answered 404, as for every cohort they do not manage. Only sessions the
/// cohort may see count (Practice's SessionAccess).
/// </summary>
public static class CohortInsightApi
{
    public static IEndpointRouteBuilder MapCohortInsightApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:guid}").WithTags("Cohorts").RequireAuthorization(Policies.Instructor);

        api.MapGet("/dashboard", GetDashboardAsync).WithName("GetCohortDashboard")
            .WithSummary("The cohort dashboard: per scenario and criterion each trainee's latest and best effective scores, trends by programme week, assignments done.");
        api.MapGet("/debrief", GetDebriefAsync).WithName("GetCohortDebrief")
            .WithSummary("Every trainee's reply at one turn of a scenario, grouped by the persona line they answered, with its judgement (for a seminar).");
        api.MapGet("/export.csv", ExportAsync).WithName("ExportCohortResults")
            .WithSummary("The cohort's results as CSV: one row per trainee × scenario × criterion (latest and best effective scores).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    public static async Task<Results<Ok<CohortDashboard>, NotFoundProblem>> GetDashboardAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await CohortsApi.ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();
        return TypedResults.Ok(await s.Insight.DashboardAsync(cohort, ct));
    }

    public static async Task<Results<Ok<DebriefView>, NotFoundProblem>> GetDebriefAsync(Guid cohortId, [AsParameters] DebriefQuery query, [AsParameters] CohortServices s, CancellationToken ct)
    {
        if (await CohortsApi.ManagedCohortAsync(s, cohortId, ct) is null) return CohortProblems.UnknownCohort();
        return TypedResults.Ok(await s.Insight.DebriefAsync(cohortId, string.IsNullOrWhiteSpace(query.Scenario) ? null : query.Scenario.Trim(), query.Turn ?? 1, ct));
    }

    public static async Task<Results<FileContentHttpResult, NotFoundProblem>> ExportAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await CohortsApi.ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();
        var rows = await s.Insight.ExportRowsAsync(cohort, ct);
        var csv = new StringBuilder();
        Csv.Line(csv, "trainee", "email", "scenario", "scenario_title", "criterion", "criterion_name", "latest_score", "best_score", "sessions", "last_practised");
        foreach (var r in rows)
        {
            Csv.Line(csv, r.Trainee, r.Email, r.ScenarioSlug, r.ScenarioTitle, r.CriterionKey, r.CriterionName,
                r.Latest?.ToString(CultureInfo.InvariantCulture) ?? "", r.Best?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.Sessions.ToString(CultureInfo.InvariantCulture), r.LastPractised.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        s.Logger.LogInformation("Cohort {CohortId} results exported by {UserId} ({Rows} rows)", cohortId, s.User.GetUserId(), rows.Count);
        var name = $"cohort-{Csv.FileSafe(cohort.Name)}-{s.Time.GetUtcNow():yyyy-MM-dd}.csv";
        // UTF-8 with a byte-order mark, so a spreadsheet opened by double-click reads names with accents right.
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv", name);
    }
}

/// <summary>
/// CSV as RFC 4180 writes it, made safe to open in a spreadsheet: a cell that begins with
/// <c>= + - @</c> (or a tab or carriage return) would be run as a formula (OWASP "CSV injection"),
/// so it is prefixed with a single quote. Names and reasons are typed by users; nothing they type
/// becomes a formula in the instructor's spreadsheet. (Ten lines; a library would add a dependency
/// and still need the prefix rule configured.)
/// </summary>
public static class Csv
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string Cell(string value)
    {
        if (value.Length > 0 && FormulaStarts.Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    public static void Line(StringBuilder csv, params string[] cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");

    public static string FileSafe(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        while (safe.Contains("--")) safe = safe.Replace("--", "-");
        return safe.Length == 0 ? "results" : safe[..Math.Min(safe.Length, 60)];
    }
}
