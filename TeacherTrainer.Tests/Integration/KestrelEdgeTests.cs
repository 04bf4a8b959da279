using System.Net.Sockets;
using System.Text;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Answers that a real Kestrel server gives, sent as raw bytes (HttpClient will not send most of
/// these): every answer the application writes carries the security headers, including a URL too
/// long (414) or headers too large (431), which the API answers itself below Kestrel's own ceiling.
/// </summary>
[Collection(KestrelApiCollection.Name)]
public sealed class KestrelEdgeTests(KestrelApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int> Requests => new()
    {
        { "GET /api/status?q=%01 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400 },
        { "GET /api/status?q=%7F HTTP/1.1\r\nHost: localhost\r\n\r\n", 400 },
        { "GET /api/a\u0001b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400 },
        { $"GET /api/status?q={new string('a', 12_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414 },
        { $"GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 40_000)}\r\n\r\n", 431 },
        { "GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a.b\r\n\r\n", 401 },
        { "GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer eyJhbGciOiJub25lIn0.e30.\r\n\r\n", 401 },
        { "GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n", 401 },
        { "POST /api/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{oops", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_answer_carries_the_security_headers(string request, int status)
    {
        var (code, headers) = await SendRawAsync(request);
        Assert.Equal(status, code);
        Assert.Contains("x-content-type-options: nosniff", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-frame-options: deny", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content-security-policy:", headers, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// What Kestrel still refuses by itself, before any middleware (a request line it cannot parse,
    /// one over its raised ceiling): the evidence that those answers need no security headers, as
    /// they have no body and no content type, so there is nothing to render, sniff or frame.
    /// </summary>
    [Theory]
    [InlineData("GET /api/a b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400)]
    [InlineData("GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Null: a\u0000b\r\n\r\n", 400)]
    [InlineData("GET /api/status HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("GET /api/status?q={0} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414)]
    public async Task What_Kestrel_refuses_itself_has_no_body_to_protect(string template, int status)
    {
        var (code, headers) = await SendRawAsync(template.Replace("{0}", new string('a', 40_000), StringComparison.Ordinal));
        Assert.Equal(status, code);
        Assert.Contains("content-length: 0", headers, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("content-type", headers, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(int Status, string Headers)> SendRawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(api.Address.Host, api.Address.Port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, Ct);
            if (n == 0) break;
            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        var text = received.ToString();
        var head = text[..Math.Max(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
        TestContext.Current.SendDiagnosticMessage(head);
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head);
    }
}
