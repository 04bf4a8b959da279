using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// Bulk intake: an instructor (for a cohort they teach) or an admin sends a CSV of names and emails and
/// gets a pending invitation for each email, exactly as if each were invited alone
/// (<see cref="CohortsApi.InviteAsync"/>): nobody joins until they accept, and the answer for a row is the
/// same whether or not an account has that email. Each row is answered: invited, already invited (a
/// pending invitation to this cohort, which the instructor can see anyway), or invalid with the reason.
/// A file that is not CSV, or has no <c>email</c> column, is refused as a whole with a problem.
/// </summary>
public static class BulkInvitations
{
    /// <summary>Rows in one file: a large programme's intake, far below what would make the request slow.</summary>
    public const int MaxRows = 500;

    /// <summary>The request body's limit (the CSV travels as a JSON string): room for <see cref="MaxRows"/> rows of long names and emails.</summary>
    public const long MaxBodyBytes = 128 * 1024;

    private static readonly EmailAddressAttribute EmailCheck = new();

    public static async Task<Results<Ok<BulkInvitationResult>, NotFoundProblem, BadRequestProblem, ConflictProblem>> InviteManyAsync(
        Guid cohortId, BulkInvitationRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await CohortsApi.ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();

        var (rows, problem) = Read(request.Csv);
        if (problem is not null) return CohortProblems.UnreadableFile(problem);

        var pending = (await s.Db.CohortInvitations.AsNoTracking().Where(i => i.CohortId == cohortId).Select(i => i.NormalizedEmail).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = s.Time.GetUtcNow();
        var me = s.User.GetUserId();
        var results = new List<BulkInvitationRow>(rows.Count);
        var created = new List<CohortInvitation>();
        foreach (var row in rows)
        {
            var reason = Check(row);
            var normalized = row.Email.ToUpperInvariant();
            if (reason is null && !seen.Add(normalized)) reason = "This email is on an earlier line of the file.";
            if (reason is not null)
            {
                results.Add(new BulkInvitationRow(row.Line, Shorten(row.Name), Shorten(row.Email), BulkInvitationOutcome.Invalid, reason));
                continue;
            }
            if (pending.Contains(normalized))
            {
                results.Add(new BulkInvitationRow(row.Line, row.Name, row.Email, BulkInvitationOutcome.AlreadyInvited, "An invitation to this cohort is already waiting for an answer."));
                continue;
            }
            var invitation = new CohortInvitation
            {
                Id = Guid.CreateVersion7(), CohortId = cohortId, Email = row.Email, NormalizedEmail = normalized, InvitedById = me, CreatedAt = now,
            };
            created.Add(invitation);
            s.Db.CohortInvitations.Add(invitation);
            results.Add(new BulkInvitationRow(row.Line, row.Name, row.Email, BulkInvitationOutcome.Invited, null));
        }

        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Someone invited one of these emails at the same moment; nothing of this file was saved.
            return CohortProblems.InvitationsChanged();
        }
        foreach (var invitation in created) s.SecurityLog.CohortInvitationChanged(me.ToString(), invitation.Id, cohortId, "sent");
        var result = new BulkInvitationResult(
            results.Count(r => r.Outcome == BulkInvitationOutcome.Invited), results.Count(r => r.Outcome == BulkInvitationOutcome.AlreadyInvited),
            results.Count(r => r.Outcome == BulkInvitationOutcome.Invalid), results);
        s.SecurityLog.BulkInvitationsSent(me.ToString(), cohortId, result.Invited, result.AlreadyInvited, result.Invalid);
        return TypedResults.Ok(result);
    }

    /// <summary>A line of the file: its number (1 is the header) and its two fields, trimmed.</summary>
    internal sealed record CsvRow(int Line, string Name, string Email);

    /// <summary>
    /// The rows of a CSV file with a header naming an <c>email</c> column (and optionally <c>name</c>),
    /// separated by commas, semicolons or tabs; or the reason the file cannot be read.
    /// </summary>
    internal static (List<CsvRow> Rows, string? Problem) Read(string csv)
    {
        var options = CsvReaderOptions.Default with
        {
            // A quote out of place or never closed is a malformed file: refuse it rather than guess what was meant.
            MalformedData = CsvMalformedDataHandling.Throw,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
        };
        var rows = new List<CsvRow>();
        try
        {
            // The separator (',' ';' tab or '|', as spreadsheets in different languages export) is detected from the header line.
            using var reader = CsvReader.FromText(csv, options);
            var header = reader.Headers;
            if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
                return (rows, "The file is empty. Its first line must name the columns, for example: name,email");
            var emailAt = IndexOf(header, "email", "e-mail", "email address");
            var nameAt = IndexOf(header, "name", "full name", "display name");
            if (emailAt < 0)
                return (rows, "The first line must name the columns and one of them must be 'email' (and 'name' if you have names), for example: name,email");
            while (reader.Read())
            {
                if (rows.Count == MaxRows) return (rows, $"The file has more than {MaxRows} rows; split it into smaller files.");
                var name = nameAt >= 0 && nameAt < reader.FieldCount ? reader.GetString(nameAt) ?? "" : "";
                var email = emailAt < reader.FieldCount ? reader.GetString(emailAt) ?? "" : "";
                if (name.Length == 0 && email.Length == 0) continue;
                rows.Add(new CsvRow((int)reader.LineNumber, name.Trim(), email.Trim()));
            }
        }
        catch (CsvFormatException ex)
        {
            return (rows, ex.LineNumber > 0
                ? $"The file is not valid CSV at line {ex.LineNumber}: a quote is out of place or a quoted field is not closed."
                : "The file is not valid CSV: a quote is out of place or a quoted field is not closed.");
        }
        if (rows.Count == 0) return (rows, "The file names its columns but has no rows below them.");
        return (rows, null);

        static int IndexOf(IReadOnlyList<string> header, params string[] names)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (names.Any(n => string.Equals(header[i]?.Trim().Trim('\uFEFF'), n, StringComparison.OrdinalIgnoreCase))) return i;
            }
            return -1;
        }
    }

    /// <summary>Why a row cannot be invited, in words for the instructor; null when it can.</summary>
    private static string? Check(CsvRow row)
    {
        if (row.Email.Length == 0) return "The email is empty.";
        if (!SafeTextAttribute.IsSafe(row.Email) || !SafeTextAttribute.IsSafe(row.Name)) return "The row holds a control character or invalid text.";
        if (row.Email.Length > 254) return "The email is longer than 254 characters.";
        if (!EmailCheck.IsValid(row.Email) || row.Email.Contains(' ')) return "This is not an email address.";
        if (row.Name.Length > 100) return "The name is longer than 100 characters.";
        return null;
    }

    /// <summary>An invalid row's text, shown back cut short and without what a page could not show.</summary>
    private static string Shorten(string text)
    {
        var safe = SafeTextAttribute.IsSafe(text) ? text : new string(text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).ToArray());
        return safe.Length <= 254 ? safe : safe[..254] + "…";
    }
}
