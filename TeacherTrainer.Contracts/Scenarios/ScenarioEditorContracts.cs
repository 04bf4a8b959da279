using System.Text.Json.Nodes;

namespace TeacherTrainer.Contracts;

/// <param name="Document">The current version, as GET /api/scenarios/{slug}/document gives it.</param>
/// <param name="Cohorts">The cohorts the caller may publish it to; empty unless they may edit it.</param>
/// <param name="Collections">The names of the exemplar collections the caller may attach to it; empty unless they may edit it.</param>
public sealed record ScenarioEditorView(JsonObject Document, ScenarioOwnership Ownership, IReadOnlyList<PublishableCohort> Cohorts, IReadOnlyList<string> Collections);

/// <param name="MemberCount">How many trainees would see it.</param>
public sealed record PublishableCohort(Guid Id, string Name, int MemberCount);
