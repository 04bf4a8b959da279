using System.Net;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.EndToEnd;

/// <summary>
/// The sign-in limit as a browser meets it: through the web front end's sign-in form, the web
/// passing the browser's address on to the API (X-Forwarded-For), the AppHost's proxies between
/// them. Each browser address has its own limit, so one guesser cannot lock everyone else out.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class SignInLimitTests(AppHostFixture system)
{
    private const string SlowDown = "going a little fast";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_ins_through_the_web_are_limited_per_browser_address()
    {
        // The AppHost runs the API with its production limits.
        var limit = new RateLimitSettings().SignIn.PermitLimit;
        var guesser = $"203.0.113.{Random.Shared.Next(1, 250)}";
        var neighbour = $"198.51.100.{Random.Shared.Next(1, 250)}";

        var answers = new List<string>();
        for (var attempt = 0; attempt <= limit; attempt++) answers.Add(await SignInThroughTheWebAsync(guesser));

        Assert.All(answers.Take(limit), answer => Assert.DoesNotContain(SlowDown, answer));
        Assert.Contains(SlowDown, answers[^1]);
        Assert.Matches(@"Try again in \d+ seconds", answers[^1]);
        // Another browser is still answered on its merits.
        Assert.DoesNotContain(SlowDown, await SignInThroughTheWebAsync(neighbour));
    }

    /// <summary>A wrong sign-in on the web's form from <paramref name="browserAddress"/>; returns the error the page shows.</summary>
    private async Task<string> SignInThroughTheWebAsync(string browserAddress)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var web = new HttpClient(handler) { BaseAddress = system.App.GetEndpoint("webfrontend", "http"), Timeout = TimeSpan.FromSeconds(60) };
        // The web trusts X-Forwarded-For from loopback, where a reverse proxy in front of it would be.
        web.DefaultRequestHeaders.Add("X-Forwarded-For", browserAddress);

        var form = await web.GetStringAsync("/account/sign-in", Ct);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        Assert.Contains("__RequestVerificationToken", fields.Keys);
        fields["Input.Email"] = $"nobody-{Guid.NewGuid():N}@example.org";
        fields["Input.Password"] = "not the right password at all";

        using var response = await web.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields), Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {page}");
        var error = SignInError().Match(page);
        Assert.True(error.Success, "the page says why the sign-in failed");
        return WebUtility.HtmlDecode(error.Groups["text"].Value);
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""data-testid="sign-in-error"[^>]*>(?<text>[^<]*)<""")]
    private static partial Regex SignInError();
}
