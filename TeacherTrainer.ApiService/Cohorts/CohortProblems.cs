using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// The cohort problems, each worded once. The 404s keep the title a bare 404 had ("Not Found") and never say
/// whether the thing exists for someone else: a cohort the caller may not see answers as one that does not exist.
/// </summary>
public static class CohortProblems
{
    private const string NotFoundTitle = "Not Found";

    public static NotFoundProblem UnknownCohort() => ApiProblems.NotFound(NotFoundTitle, "There is no cohort with this id that you can see or manage.");

    public static NotFoundProblem UnknownInvitation() => ApiProblems.NotFound(NotFoundTitle, "There is no pending invitation with this id for you.");

    public static NotFoundProblem UnknownAssignment() => ApiProblems.NotFound(NotFoundTitle, "The cohort has no assignment with this id.");

    public static NotFoundProblem NotAMember() => ApiProblems.NotFound(NotFoundTitle, "This person does not belong to the cohort.");

    public static NotFoundProblem UnknownSession() => ApiProblems.NotFound(NotFoundTitle, "You have no session with this id.");

    public static ValidationProblem UnknownInviteCode() => ApiProblems.Invalid("inviteCode", "No cohort has this invitation code; check it with your instructor.");

    /// <summary>An instructor tried to join their own cohort (by code, or by accepting an invitation: <paramref name="field"/>).</summary>
    public static ValidationProblem TeachesIt(string field) => ApiProblems.Invalid(field, "You teach this cohort; only trainees join it.");

    public static BadRequestProblem UnreadableFile(string detail) => ApiProblems.BadRequest("The file could not be read", detail);

    public static ConflictProblem InvitationsChanged()
        => ApiProblems.Conflict("Invitations changed meanwhile",
            "One of these emails was invited to the cohort at the same moment, so none of the file was saved. Send the file again.");

    public static ValidationProblem SharingChanged() => ApiProblems.Invalid("cohortIds", "Your sharing changed meanwhile; reload and try again.");
}
