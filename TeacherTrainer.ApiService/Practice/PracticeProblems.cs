using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>Why a practice request could not be done: each problem worded once (the endpoint recipe, docs/architecture.md).</summary>
public static class PracticeProblems
{
    /// <summary>The session does not exist or is not the caller's (which is answered the same, so an id tells an outsider nothing).</summary>
    public static NotFoundProblem UnknownSession(Guid id) => ApiProblems.NotFound("Unknown session", $"There is no session {id} of yours.");

    /// <summary>For reading: the caller may read others' sessions (their trainees'), so "of yours" would be wrong.</summary>
    public static NotFoundProblem UnseenSession(Guid id) => ApiProblems.NotFound("Unknown session", $"There is no session {id} you can see.");

    public static ConflictProblem SessionEnded() => ApiProblems.Conflict("Session has ended", "This session has ended; start a new one to practise again.");

    public static ConflictProblem SessionEndedNoRetry() => ApiProblems.Conflict("Session has ended", "This session has ended; its turns can no longer be tried again.");

    public static ConflictProblem NoTurnToRetry() => ApiProblems.Conflict("No turn to try again", "Send a reply first; there is no turn to try again yet.");

    /// <summary>Two replies to one session were saved at the same moment; the later one is refused whole.</summary>
    public static ConflictProblem TurnClashed() => ApiProblems.Conflict("Turn clashed with another",
        "Another reply to this session was saved at the same moment. Reload the session and try again.");

    /// <summary>A retry met another change to the session (a turn, or another retry).</summary>
    public static ConflictProblem RetryClashed() => ApiProblems.Conflict("Turn clashed with another",
        "Another change to this session was saved at the same moment. Reload the session and try again.");

    public static BadRequestProblem UnknownAssignment(Guid id) => ApiProblems.BadRequest("Unknown assignment",
        $"You have no assignment {id}: it is not set for a cohort you belong to.");

    public static BadRequestProblem AssignmentForAnotherScenario(string slug) => ApiProblems.BadRequest("Assignment is for another scenario",
        $"This assignment is for the scenario '{slug}'; practise that one to complete it.");
}

/// <summary>
/// What a practice operation gives back: its value, or the problem that stopped it. Expected outcomes (an unknown
/// session, one that has ended) are results the handler maps, not exceptions.
/// </summary>
public readonly record struct PracticeOutcome<T>(T? Value, TypedProblem? Problem) where T : class
{
    public static implicit operator PracticeOutcome<T>(T value) => new(value, null);

    public static implicit operator PracticeOutcome<T>(TypedProblem problem) => new(null, problem);
}
