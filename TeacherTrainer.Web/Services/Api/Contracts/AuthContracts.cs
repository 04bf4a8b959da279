namespace TeacherTrainer.Web.Services.Api;

// Shapes of the ApiService's JSON, as this app reads and sends them (see the API's /scalar reference).

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType = "Bearer");

public sealed record MeResponse(Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<MeCohort> Cohorts);

/// <param name="As"><c>instructor</c> or <c>member</c>.</param>
public sealed record MeCohort(Guid Id, string Name, string As);

public sealed record SignInRequest(string Email, string Password);

public sealed record SignUpRequest(string Email, string Password, string DisplayName, string? InviteCode);

public sealed record RefreshRequest(string RefreshToken);
