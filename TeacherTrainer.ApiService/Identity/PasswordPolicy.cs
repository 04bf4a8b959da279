using Microsoft.AspNetCore.Identity;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>One reason a password is refused: a stable code and a sentence for the user.</summary>
public sealed record PasswordProblem(string Code, string Description);

/// <summary>
/// The password rules (NIST SP 800-63B style: length over composition rules). A password must be
/// 12 to 128 characters and must not be, or be built on, one of the most common passwords, a
/// keyboard or alphabet run, one short piece repeated, or the user's own name or email address.
/// No rules about digits, capitals or symbols: they make passwords harder to remember, not to guess.
/// </summary>
public sealed class PasswordPolicy(CommonPasswordList common)
{
    public const int MinLength = PasswordRules.MinLength;
    public const int MaxLength = PasswordRules.MaxLength;
    /// <summary>Fewest distinct characters a password may have.</summary>
    public const int MinDistinctCharacters = 5;

    private static readonly string[] Runs =
    [
        "01234567890123456789", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "qwertyuiopasdfghjklzxcvbnmqwertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
        "qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p", "azertyuiopqsdfghjklmwxcvbn",
    ];

    public IReadOnlyList<PasswordProblem> Check(string? password, string? email = null, string? displayName = null)
    {
        var problems = new List<PasswordProblem>();
        password ??= "";
        if (password.Length < MinLength)
            problems.Add(new("PasswordTooShort", $"Use at least {MinLength} characters; a few unrelated words make a strong, memorable password."));
        if (password.Length > MaxLength)
            problems.Add(new("PasswordTooLong", $"Use at most {MaxLength} characters."));
        if (password.Length == 0 || password.Length > MaxLength) return problems;

        var lower = password.ToLowerInvariant();
        if (IsCommon(lower))
            problems.Add(new("PasswordCommon", "This password is one of the most commonly used passwords (or one with digits or symbols added); choose another."));
        else if (IsRun(lower))
            problems.Add(new("PasswordSequence", "This password is a keyboard or alphabet sequence; choose another."));
        else if (IsRepetitive(lower))
            problems.Add(new("PasswordRepetitive", "This password repeats the same characters; choose another."));
        if (ContainsPersonalWords(lower, email, displayName))
            problems.Add(new("PasswordContainsName", "Do not use your name or email address in your password."));
        return problems;
    }

    private bool IsCommon(string lower)
    {
        if (common.Contains(lower) || common.Contains(Unleet(lower))) return true;
        // A common password with digits or symbols stuck on either end: "Password2024!", "!!dragon!!".
        var core = lower.AsSpan().Trim(NonLetters).ToString();
        if (core.Length < 4 || core.Length == lower.Length) return false;
        return common.Contains(core) || common.Contains(Unleet(core));
    }

    private static bool IsRun(string lower)
    {
        var compact = lower.Replace(" ", "", StringComparison.Ordinal);
        foreach (var run in Runs)
        {
            if (run.Contains(compact, StringComparison.Ordinal)) return true;
            var reversed = new string(run.Reverse().ToArray());
            if (reversed.Contains(compact, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Too few distinct characters, or one short piece repeated ("abcabcabcabc", "passwordpassword").</summary>
    private static bool IsRepetitive(string lower)
    {
        if (lower.Distinct().Count() < MinDistinctCharacters) return true;
        for (var unit = 1; unit <= lower.Length / 2; unit++)
        {
            if (lower.Length % unit != 0) continue;
            var piece = lower.AsSpan(0, unit);
            var repeated = true;
            for (var i = unit; i < lower.Length && repeated; i += unit) repeated = lower.AsSpan(i, unit).SequenceEqual(piece);
            if (repeated) return true;
        }
        return false;
    }

    private static bool ContainsPersonalWords(string lower, string? email, string? displayName)
    {
        var words = new List<string>();
        if (!string.IsNullOrWhiteSpace(email))
        {
            var local = email.Split('@')[0].ToLowerInvariant();
            words.Add(local);
            words.AddRange(local.Split(['.', '_', '-', '+'], StringSplitOptions.RemoveEmptyEntries));
        }
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            words.AddRange(displayName.ToLowerInvariant().Split([' ', '-', '.', '\''], StringSplitOptions.RemoveEmptyEntries));
        }
        return words.Any(w => w.Length >= 4 && lower.Contains(w, StringComparison.Ordinal));
    }

    private static readonly char[] NonLetters = Enumerable.Range(32, 95).Select(i => (char)i).Where(c => !char.IsLetter(c)).ToArray();

    /// <summary>Undoes the usual letter-for-digit swaps: "p@ssw0rd" is "password".</summary>
    private static string Unleet(string s) => string.Create(s.Length, s, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] switch
            {
                '0' => 'o',
                '1' => 'i',
                '!' => 'i',
                '3' => 'e',
                '4' => 'a',
                '@' => 'a',
                '5' => 's',
                '$' => 's',
                '7' => 't',
                '+' => 't',
                '8' => 'b',
                '9' => 'g',
                var c => c,
            };
        }
    });
}

/// <summary>The list of the most common passwords (<c>Identity/common-passwords.txt</c>, shipped beside the service).</summary>
public sealed class CommonPasswordList
{
    public const string FileName = "common-passwords.txt";
    private readonly HashSet<string> _passwords;

    public CommonPasswordList(IEnumerable<string> passwords)
        => _passwords = new HashSet<string>(passwords.Select(p => p.Trim().ToLowerInvariant()).Where(p => p.Length > 0), StringComparer.Ordinal);

    public int Count => _passwords.Count;

    public bool Contains(string lowerCasePassword) => _passwords.Contains(lowerCasePassword);

    /// <summary>Reads the list shipped with the service (copied to its output folder).</summary>
    public static CommonPasswordList Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "Identity", FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"The common password list is missing: {path}", path);
        return new CommonPasswordList(File.ReadLines(path).Where(l => !l.StartsWith('#')));
    }
}

/// <summary>Plugs <see cref="PasswordPolicy"/> into ASP.NET Core Identity (sign-up, admin-created users, bootstrap admin).</summary>
public sealed class PasswordPolicyValidator(PasswordPolicy policy) : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        var problems = policy.Check(password, user.Email, user.DisplayName);
        return Task.FromResult(problems.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed(problems.Select(p => new IdentityError { Code = p.Code, Description = p.Description }).ToArray()));
    }
}
