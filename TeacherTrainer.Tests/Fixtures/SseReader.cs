namespace TeacherTrainer.Tests.Fixtures;

/// <summary>One server-sent event.</summary>
public sealed record SseEvent(string Type, string Data);

/// <summary>Reads a text/event-stream response into its events, as they arrive.</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        string type = "message";
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) yield return new SseEvent(type, string.Join('\n', data));
                type = "message";
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal)) type = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].TrimStart());
        }
        if (data.Count > 0) yield return new SseEvent(type, string.Join('\n', data));
    }
}
