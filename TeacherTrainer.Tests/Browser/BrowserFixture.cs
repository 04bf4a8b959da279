using Microsoft.Playwright;
using TeacherTrainer.Tests.Browser;

[assembly: AssemblyFixture(typeof(BrowserFixture))]

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// One headless Chromium for the whole run (Debian's, at /usr/bin/chromium: never a downloaded
/// one). Launched when the first browser test asks for it, so runs without browser tests never
/// need Chromium. Each test opens its own browser context (its own cookies).
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    public static string ChromiumPath => Environment.GetEnvironmentVariable("TT_CHROMIUM") ?? "/usr/bin/chromium";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task<IBrowser> GetBrowserAsync()
    {
        if (_browser is not null) return _browser;
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null) return _browser;
            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException(
                    $"Chromium is not at {ChromiumPath}: install Debian's package (apt-get install -y chromium; scripts/test.sh does) or set TT_CHROMIUM.");
            }
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _gate.Dispose();
    }
}
