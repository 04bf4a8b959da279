using System.Security.Cryptography;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// Invitation codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
/// XXXXX-XXXXX. About 49 bits: guessing one is hopeless within the sign-up rate limit.
/// </summary>
public static class InviteCodes
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int Length = 10;

    public static string Create()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++) code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return $"{code[..5]}-{code[5..]}";
    }

    /// <summary>What a person typed, in the stored form: upper case, the dash where it belongs, spaces dropped.</summary>
    public static string Normalize(string typed)
    {
        var letters = new string(typed.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return letters.Length == Length ? $"{letters[..5]}-{letters[5..]}" : letters;
    }
}
