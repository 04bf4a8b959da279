namespace TeacherTrainer.Tests.Fixtures;

/// <summary>The practice calls most tests make: start a session, take a turn (failing the test when refused).</summary>
public static class SessionApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a session of <paramref name="slug"/>; returns the new session as the contract reads it.</summary>
    public static async Task<SessionView> StartSessionAsync(HttpClient client, string slug, Guid? assignmentId = null)
    {
        using var response = await client.PostAsJsonAsync("/api/sessions", new StartSessionRequest(slug, assignmentId), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<SessionView>(Ct))!;
    }

    /// <summary>Takes a turn; returns the saved turn and the session's status as the contract reads them.</summary>
    public static async Task<TurnResult> TakeTurnAsync(HttpClient client, Guid session, string text)
    {
        using var response = await client.PostAsJsonAsync($"/api/sessions/{session}/turns", new TurnRequest(text), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<TurnResult>(Ct))!;
    }
}
