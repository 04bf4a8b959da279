namespace TeacherTrainer.Contracts;

/// <summary>The password lengths both sides check: the API's request validation and policy, and the web's forms.</summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
}
