using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// The sign-in and account problems, each worded once. Sign-in answers with statuses the other features
/// never use (401 with a reason, 423, 429 with Retry-After), so their typed results live here rather than
/// in <see cref="ApiProblems"/>.
/// </summary>
public static class IdentityProblems
{
    /// <summary>The signed-in account no longer exists (deleted meanwhile); the title a bare 404 had.</summary>
    public static NotFoundProblem UnknownUser() => ApiProblems.NotFound("Not Found", "Your account no longer exists.");

    public static UnauthorizedProblem InvalidCredentials()
        => SignInFailed("The email or password is incorrect. After repeated failures sign-in slows down for a while.");

    /// <summary>The title a client looks for to show a code field; the <c>twoFactorRequired</c> extension says the same.</summary>
    public static UnauthorizedProblem TwoFactorNeeded(string detail)
    {
        var details = ApiProblems.Details(StatusCodes.Status401Unauthorized, AuthTitles.TwoFactorRequired, detail);
        details.Extensions["twoFactorRequired"] = true;
        return new(details);
    }

    public static UnauthorizedProblem SignInFailed(string detail) => new(ApiProblems.Details(StatusCodes.Status401Unauthorized, "Sign-in failed", detail));

    public static LockedProblem Locked()
        => new(ApiProblems.Details(StatusCodes.Status423Locked, "Account locked", "This account has been locked by an administrator; ask an administrator to unlock it."));

    /// <summary>Too many tries for this account or address; the caller sets <c>Retry-After</c> to <paramref name="seconds"/>.</summary>
    public static TooManyRequestsProblem Throttled(int seconds)
        => new(ApiProblems.Details(StatusCodes.Status429TooManyRequests, "Too many sign-in attempts",
            string.Create(CultureInfo.InvariantCulture, $"Too many sign-in attempts for this account; try again in {seconds} s. The account is not locked and its sessions are untouched.")));

    public static ConflictProblem AccountExists(string detail) => ApiProblems.Conflict("Account exists", detail);

    /// <summary>A two-factor change that does not fit the account's state now.</summary>
    public static ConflictProblem NotNow(string detail) => ApiProblems.Conflict("Not now", detail);
}

/// <summary>401 with problem details: the credentials, code or refresh token were not good.</summary>
public sealed class UnauthorizedProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status401Unauthorized, builder);
}

/// <summary>423 with problem details: an administrator locked the account.</summary>
public sealed class LockedProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status423Locked, builder);
}

/// <summary>429 with problem details: sign-in is slowed down for this account or address.</summary>
public sealed class TooManyRequestsProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status429TooManyRequests, builder);
}
