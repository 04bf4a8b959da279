namespace TeacherTrainer.Contracts;

/// <summary>The claims the API's access tokens carry: the API writes and reads them, the web app reads them.</summary>
public static class TokenClaims
{
    public const string UserId = "sub";
    public const string Role = "role";
    public const string Name = "name";
    public const string Email = "email";

    /// <summary>A hash of the user's security stamp when the token was issued.</summary>
    public const string Stamp = "sst";
}
