using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.Tests.Unit;

public sealed class PasswordPolicyTests
{
    private static readonly Lazy<PasswordPolicy> Policy = new(() => new PasswordPolicy(CommonPasswordList.Load()));

    private static string[] Codes(string password, string? email = null, string? name = null)
        => Policy.Value.Check(password, email, name).Select(p => p.Code).ToArray();

    [Fact]
    public void The_shipped_list_holds_the_30000_most_common_passwords()
    {
        var list = CommonPasswordList.Load();
        Assert.Equal(30_000, list.Count);
        Assert.True(list.Contains("123456"));
        Assert.True(list.Contains("password"));
        Assert.True(list.Contains("1qaz2wsx3edc"));
    }

    [Theory]
    [InlineData("a lantern over the quiet harbour")]
    [InlineData("correct-horse-battery-staple-42")]
    [InlineData("Tuesday Marmalade Orbit 7")]
    [InlineData("zq8#Lm2!pW4x")]
    [InlineData("日本語のパスワードはとても長い")]
    public void Long_uncommon_passwords_pass(string password) => Assert.Empty(Codes(password));

    [Theory]
    [InlineData("", "PasswordTooShort")]
    [InlineData("elevenchars", "PasswordTooShort")]
    public void Fewer_than_12_characters_are_refused(string password, string code) => Assert.Contains(code, Codes(password));

    [Fact]
    public void Twelve_characters_pass_and_128_is_the_most()
    {
        Assert.Empty(Codes("plum-kite-ox"));
        Assert.Empty(Codes(string.Concat(Enumerable.Range(0, 16).Select(i => $"w{i:D2}rd-x{(char)('a' + i)}"))));
        Assert.Equal(128, string.Concat(Enumerable.Range(0, 16).Select(i => $"w{i:D2}rd-x{(char)('a' + i)}")).Length);
        Assert.Contains("PasswordTooLong", Codes(new string('k', 100) + "qwertyuiopasdfghjklzxcvbnm123"));
        Assert.True(PasswordPolicy.MaxLength >= 64);
    }

    [Theory]
    [InlineData("1qaz2wsx3edc")]         // on the list as it is
    [InlineData("QAZWSXEDCRFV")]         // case does not help
    [InlineData("Password2024!")]        // a common password with digits and symbols added
    [InlineData("!!!dragon123456")]
    [InlineData("P@ssw0rd12345")]        // letters swapped for look-alike digits
    [InlineData("football1234567")]
    [InlineData("iloveyou!!!!!!")]
    public void Common_passwords_and_their_decorations_are_refused(string password)
        => Assert.Contains("PasswordCommon", Codes(password));

    [Theory]
    [InlineData("1234567890123")]
    [InlineData("abcdefghijklmn")]
    [InlineData("zyxwvutsrqpo")]
    [InlineData("asdfghjklzxcv")]
    public void Keyboard_and_alphabet_runs_are_refused(string password)
    {
        var codes = Codes(password);
        Assert.True(codes.Contains("PasswordSequence") || codes.Contains("PasswordCommon"), string.Join(",", codes));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabc")]
    [InlineData("hellohellohello")]
    [InlineData("ababababababab")]
    public void Repetition_is_refused(string password)
    {
        var codes = Codes(password);
        Assert.True(codes.Contains("PasswordRepetitive") || codes.Contains("PasswordCommon"), string.Join(",", codes));
    }

    [Fact]
    public void The_users_own_name_or_email_is_refused()
    {
        Assert.Contains("PasswordContainsName", Codes("margaret-loves-teaching", email: "margaret.okafor@school.org"));
        Assert.Contains("PasswordContainsName", Codes("okafor-on-the-harbour", email: "m@school.org", name: "Margaret Okafor"));
        Assert.Empty(Codes("a lantern over the quiet harbour", email: "ann@school.org", name: "Ann Li"));
    }
}
