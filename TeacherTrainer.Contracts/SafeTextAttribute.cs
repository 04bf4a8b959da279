using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

/// <summary>
/// Text a person could have typed: no control characters other than tab and line breaks, and no
/// unpaired surrogates (PostgreSQL refuses both, which would otherwise surface as a 500).
/// Null passes: combine with <see cref="RequiredAttribute"/> where a value is needed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class SafeTextAttribute : ValidationAttribute
{
    public SafeTextAttribute() : base("The field {0} contains a control character or invalid Unicode.") { }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string s => IsSafe(s),
        IEnumerable<string> list => list.All(s => s is null || IsSafe(s)),
        _ => true,
    };

    public static bool IsSafe(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return false;
            }
            if (char.IsLowSurrogate(c)) return false;
            if (c is '\t' or '\n' or '\r') continue;
            if (c < ' ' || c is >= '\u007f' and <= '\u009f' || c is '\uFFFE' or '\uFFFF') return false;
        }
        return true;
    }
}
