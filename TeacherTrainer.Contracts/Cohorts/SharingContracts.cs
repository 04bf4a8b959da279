using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

/// <param name="CohortIds">The cohorts (the caller's own) whose instructor should see the session; empty to share with none.</param>
/// <param name="Reflection">Whether the reflection is shared with whoever may see the session.</param>
public sealed record ShareSessionRequest([property: Required, MaxLength(50)] IReadOnlyList<Guid> CohortIds, bool Reflection = false);

/// <param name="AssignmentSessions">Sessions the instructor sees because they were practised for this cohort's assignments after joining.</param>
/// <param name="SharedSessions">Other sessions the trainee chose to share with this cohort.</param>
/// <param name="SharedReflections">Reflections the instructor sees (on sessions they see, shared by the trainee).</param>
public sealed record CohortVisibility(Guid CohortId, string CohortName, string InstructorName, DateTimeOffset JoinedAt,
    int AssignmentSessions, int SharedSessions, int SharedReflections);

/// <param name="SeenByCohorts">The cohorts whose instructor sees this session now (by assignment or by sharing).</param>
/// <param name="SharedWith">The cohorts the trainee chose to share it with.</param>
public sealed record SessionSharing(Guid SessionId, string ScenarioTitle, string Status, DateTimeOffset StartedAt, Guid? AssignmentId,
    Guid? AssignmentCohortId, IReadOnlyList<Guid> SeenByCohorts, IReadOnlyList<Guid> SharedWith, bool HasReflection, bool ReflectionShared);

public sealed record MySharing(IReadOnlyList<CohortVisibility> Cohorts, IReadOnlyList<SessionSharing> Sessions);
