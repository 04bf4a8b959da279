using Microsoft.Playwright;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The sign-in limit as a browser meets it: on the web front end's sign-in form, the web passing
/// the browser's address on to the API (X-Forwarded-For), the AppHost's proxies between them. Each
/// browser address has its own limit, so one guesser cannot lock everyone else out.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SignInLimitTests(AppHostFixture system, BrowserFixture browsers)
{
    private const string SlowDown = "going a little fast";

    [Fact]
    public async Task Sign_ins_through_the_web_are_limited_per_browser_address()
    {
        // The AppHost runs the API with its production limits.
        var limit = new RateLimitSettings().SignIn.PermitLimit;
        await using var web = await WebUi.OpenAsync(browsers, system.App);

        // The web trusts X-Forwarded-For from loopback only because the AppHost declares it (where a reverse proxy in front of it would be).
        await BrowseFromAsync(web, $"203.0.113.{Random.Shared.Next(1, 250)}");
        var answers = new List<string>();
        for (var attempt = 0; attempt <= limit; attempt++) answers.Add(await WrongSignInAsync(web));

        Assert.All(answers.Take(limit), answer => Assert.DoesNotContain(SlowDown, answer));
        Assert.Contains(SlowDown, answers[^1]);
        Assert.Matches(@"Try again in \d+ seconds", answers[^1]);
        await web.ScreenshotAsync("sign-in-rate-limited", fullPage: false);

        // Another browser is still answered on its merits.
        await BrowseFromAsync(web, $"198.51.100.{Random.Shared.Next(1, 250)}");
        Assert.DoesNotContain(SlowDown, await WrongSignInAsync(web));
    }

    private static Task BrowseFromAsync(WebUi web, string address)
        => web.Page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = address });

    /// <summary>Signs in with a wrong password; returns the error the page shows.</summary>
    private static async Task<string> WrongSignInAsync(WebUi web)
    {
        await web.Page.GotoAsync("/account/sign-in");
        await web.Page.GetByLabel("Email").FillAsync($"nobody-{Guid.NewGuid():N}@example.org");
        await web.Page.GetByLabel("Password").FillAsync("not the right password at all");
        await web.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return await web.Page.GetByTestId("sign-in-error").InnerTextAsync();
    }
}
