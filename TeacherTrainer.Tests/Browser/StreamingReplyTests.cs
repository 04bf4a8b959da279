using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>The persona's reply streams into the practice page token by token, after the judgement.</summary>
[Collection(StreamingSystemCollection.Name)]
public sealed class StreamingReplyTests(StreamingSystemFixture system, BrowserFixture browsers)
{
    [Fact]
    public async Task The_personas_reply_appears_word_by_word_after_the_judgement_of_the_trainees_reply()
    {
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = system.App.GetEndpoint("webfrontend", "http").ToString() });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/sign-up");
        await page.GetByLabel("Your name").FillAsync("Sam Streamer");
        await page.GetByLabel("Email").FillAsync($"sam-{Guid.NewGuid():N}@browser.test");
        await page.GetByLabel("Password").FillAsync(ApiSetup.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/scenarios");
        await page.GotoAsync("/scenarios/year1-lego-rocket-tidy-up-refusal");
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        await page.GetByTestId("start-session").ClickAsync();
        await page.WaitForURLAsync("**/practice/*");
        await page.Locator("main[data-interactive=true]").WaitForAsync();

        await page.GetByTestId("reply-box").FillAsync("Kofi, you're proud of that rocket. Let's keep it safe on the shelf while we tidy.");
        await page.GetByTestId("send-reply").ClickAsync();

        // Mid-stream: the judgement is already beside the chat, and the reply is still arriving.
        var streaming = page.Locator("[data-testid=persona-message][data-streaming=true]");
        await streaming.WaitForAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("judgement")).ToBeVisibleAsync();
        var partial = (await streaming.Locator(".bubble-text").InnerTextAsync()).Trim();
        Assert.True(partial.Length > 0 && partial.Length < StreamingSystemFixture.PersonaReply.Length, $"partial reply: '{partial}'");
        Assert.StartsWith(partial, StreamingSystemFixture.PersonaReply);

        // Then the saved turn: the whole reply, no longer streaming.
        var done = page.Locator("[data-testid=persona-message][data-streaming=false]");
        await Expect(done).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        Assert.Equal(StreamingSystemFixture.PersonaReply, (await done.Locator(".bubble-text").InnerTextAsync()).Trim());
        Assert.Contains(system.Ollama.Requests, r => r.Path == "/api/chat");
    }
}
