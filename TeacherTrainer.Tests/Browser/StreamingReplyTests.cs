using static Microsoft.Playwright.Assertions;

namespace TeacherTrainer.Tests.Browser;

/// <summary>The persona's reply streams into the practice page token by token, after the judgement.</summary>
[Collection(StreamingSystemCollection.Name)]
public sealed class StreamingReplyTests(StreamingSystemFixture system, BrowserFixture browsers)
{
    [Fact]
    public async Task The_personas_reply_appears_word_by_word_after_the_judgement_of_the_trainees_reply()
    {
        await using var web = await WebUi.OpenAsync(browsers, system.App);
        var page = web.Page;
        await web.SignUpAsync("Sam Streamer", ApiSetup.NewEmail("sam"), ApiSetup.Password);
        await web.StartSessionAsync("year1-lego-rocket-tidy-up-refusal");

        await page.GetByTestId("reply-box").FillAsync("Kofi, you're proud of that rocket. Let's keep it safe on the shelf while we tidy.");
        await page.GetByTestId("send-reply").ClickAsync();

        // Mid-stream: the judgement is already beside the chat, and the reply is still arriving.
        // The partial text is read in the page itself, in the same moment the bubble is seen streaming:
        // on a busy machine a second round trip from the test can arrive after the stream has ended.
        var seen = await page.WaitForFunctionAsync("""
            () => {
              const text = document.querySelector('[data-testid=persona-message][data-streaming=true] .bubble-text');
              const judged = document.querySelector('[data-testid=judgement]');
              return text && judged && text.textContent.trim().length > 0 ? text.textContent.trim() : null;
            }
            """, null, new() { Timeout = 60_000, PollingInterval = 20 });
        var partial = await seen.JsonValueAsync<string>();
        await Expect(page.GetByTestId("judgement")).ToBeVisibleAsync();
        Assert.True(partial.Length > 0 && partial.Length < StreamingSystemFixture.PersonaReply.Length, $"partial reply: '{partial}'");
        Assert.StartsWith(partial, StreamingSystemFixture.PersonaReply);

        // Then the saved turn: the whole reply, no longer streaming.
        var done = page.Locator("[data-testid=persona-message][data-streaming=false]");
        await Expect(done).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        Assert.Equal(StreamingSystemFixture.PersonaReply, (await done.Locator(".bubble-text").InnerTextAsync()).Trim());
        Assert.Contains(system.Ollama.Requests, r => r.Path == "/api/chat");
    }
}
