using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// A browser tab on the web front end of a started system (<see cref="AppHostFixture"/> or another), with the steps the
/// tests share (sign up, sign in, wait for the page to be interactive) and screenshots saved to
/// artifacts/screenshots.
/// </summary>
public sealed class WebUi : IAsyncDisposable
{
    public static readonly string ScreenshotDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "screenshots");

    private readonly IBrowserContext _context;
    private readonly List<string> _dialogs = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _consoleErrors = [];

    private WebUi(IBrowserContext context, IPage page, Uri baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) => _pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Add(message.Text);
        };
    }

    public IPage Page { get; }
    public Uri BaseUrl { get; }

    /// <summary>Messages of every alert/confirm/prompt the page opened (none is expected, ever).</summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    public IReadOnlyList<string> PageErrors => _pageErrors;

    /// <summary>Errors the browser logged: content-security-policy refusals show up here.</summary>
    public IReadOnlyList<string> ConsoleErrors => _consoleErrors;

    private static int _browsers;

    private static string NextBrowserAddress()
    {
        var n = Interlocked.Increment(ref _browsers);
        return $"10.77.{n / 250 % 250}.{n % 250 + 1}";
    }

    public static async Task<WebUi> OpenAsync(BrowserFixture browsers, DistributedApplication app, int width = 1280, int height = 900)
    {
        var browser = await browsers.GetBrowserAsync();
        var baseUrl = app.GetEndpoint("webfrontend", "http");
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-GB",
            // Each browser comes from its own address, as each person does: the AppHost declares loopback
            // as the web's reverse proxy, so the per-address sign-in limit counts this browser alone and
            // the suite's many sign-ins from one machine do not add up to one person's twenty a minute.
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = NextBrowserAddress() },
        });
        // A busy two-core machine judges and renders slowly; a minute is the most any step waits.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        var page = await context.NewPageAsync();
        return new WebUi(context, page, baseUrl);
    }

    /// <summary>Opens a page and waits until its circuit is live (before that, clicks and typing are lost).</summary>
    public async Task GoToAsync(string path)
    {
        await Page.GotoAsync(path);
        await ReadyAsync();
    }

    public Task ReadyAsync() => Page.Locator("main[data-interactive=true]").WaitForAsync();

    /// <summary>Starts a session of <paramref name="slug"/> from its briefing page and waits on the practice page.</summary>
    public async Task StartSessionAsync(string slug)
    {
        await GoToAsync($"/scenarios/{slug}");
        await Page.GetByTestId("start-session").ClickAsync();
        await Page.WaitForURLAsync("**/practice/*");
        await ReadyAsync();
    }

    /// <summary>Copies a library scenario from its read-only editor page and waits until the copy is open in the editor.</summary>
    public async Task CopyLibraryScenarioAsync(string slug)
    {
        await GoToAsync($"/teach/scenarios/{slug}/edit");
        await Page.GetByTestId("read-only-notice").GetByTestId("copy-scenario").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/teach/scenarios/{slug}-copy[a-z0-9-]*/edit"));
        // The copy opens in the same page: wait for it, not the library scenario it replaces.
        await Assertions.Expect(Page.GetByTestId("editor-notice")).ToContainTextAsync("This is your copy");
    }

    public async Task SignUpAsync(string name, string email, string password, string? inviteCode = null)
    {
        await Page.GotoAsync("/account/sign-up");
        await Page.GetByLabel("Your name").FillAsync(name);
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        if (inviteCode is not null) await Page.GetByLabel("Cohort invitation code").FillAsync(inviteCode);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await ArriveOrExplainAsync("sign-up-error");
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/account/sign-in");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArriveOrExplainAsync("sign-in-error");
    }

    /// <summary>
    /// Waits for the scenarios page; when the form shows an error instead, fails at once with the text a
    /// person would read (a refused sign-in is otherwise a minute's silent timeout).
    /// </summary>
    private async Task ArriveOrExplainAsync(string errorTestId)
    {
        var arrived = Page.WaitForURLAsync("**/scenarios");
        var refused = Page.GetByTestId(errorTestId).WaitForAsync();
        if (await Task.WhenAny(arrived, refused) == refused && refused.IsCompletedSuccessfully)
            throw new InvalidOperationException($"The form was refused: {await Page.GetByTestId(errorTestId).InnerTextAsync()}");
        await arrived;
        await ReadyAsync();
    }

    /// <summary>Saves a screenshot as artifacts/screenshots/<paramref name="name"/>.png and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = true)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
