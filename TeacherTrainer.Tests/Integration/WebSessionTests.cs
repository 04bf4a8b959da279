using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TeacherTrainer.Tests.Fixtures;
using TeacherTrainer.Web.Services.Api;
using TeacherTrainer.Web.Services.Auth;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The web app's sign-ins on the real (sessions) Redis: tickets kept data-protected, and access tokens renewed
/// once however many circuits ask at the same moment (refresh tokens are single use).
/// </summary>
public sealed class WebSessionTests(WebSessionTests.RedisStore redis) : IClassFixture<WebSessionTests.RedisStore>
{
    private readonly ConnectionMultiplexer _redis = redis.Connection;
    private readonly SessionTicketStore _store = redis.Store;
    private readonly FakeTokenEndpoint _api = new();

    /// <summary>One connection and one emptied Redis database for the class: each test keys its own session ids.</summary>
    public sealed class RedisStore : IAsyncLifetime
    {
        public ConnectionMultiplexer Connection { get; private set; } = null!;
        public SessionTicketStore Store { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Connection = await ConnectionMultiplexer.ConnectAsync(await TestEnvironment.CreateSessionsDatabaseAsync());
            Store = new SessionTicketStore(Connection, new EphemeralDataProtectionProvider(), TimeProvider.System);
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }

    [Fact]
    public async Task A_ticket_is_stored_protected_under_its_session_id_and_removed_on_sign_out()
    {
        var sessionId = SessionTickets.NewSessionId();
        var ticket = Ticket(sessionId, Token("first"), DateTimeOffset.UtcNow.AddMinutes(15));

        var key = await _store.StoreAsync(ticket);
        var raw = (string?)await _redis.GetDatabase().StringGetAsync("teachertrainer:web:session:" + key);

        Assert.Equal(sessionId, key);
        Assert.DoesNotContain("refresh-first", raw ?? "");
        var back = await _store.RetrieveAsync(key);
        Assert.Equal(Token("first"), ApiTokens.From(back!.Properties)!.AccessToken);
        Assert.Equal("Tess", back.Principal.Identity!.Name);
        await _store.RemoveAsync(key);
        Assert.Null(await _store.RetrieveAsync(key));
        Assert.False(await _store.ExistsAsync(key));
    }

    [Fact]
    public async Task Circuits_renewing_the_same_expired_token_at_once_refresh_it_only_once_and_all_get_the_new_one()
    {
        var sessionId = SessionTickets.NewSessionId();
        var stale = Token("stale");
        await _store.StoreAsync(Ticket(sessionId, stale, DateTimeOffset.UtcNow.AddSeconds(-5)));

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Refresher().RefreshAsync(sessionId, stale, TestContext.Current.CancellationToken)));

        Assert.Equal(1, _api.Refreshes);
        Assert.All(results, r => Assert.Equal(Token("renewed-1"), r!.AccessToken));
        var stored = ApiTokens.From((await _store.RetrieveAsync(sessionId))!.Properties)!;
        Assert.Equal(("refresh-renewed-1", Token("renewed-1")), (stored.RefreshToken, stored.AccessToken));
    }

    [Fact]
    public async Task A_refresh_the_api_refuses_ends_the_sign_in()
    {
        var sessionId = SessionTickets.NewSessionId();
        var stale = Token("stale");
        await _store.StoreAsync(Ticket(sessionId, stale, DateTimeOffset.UtcNow.AddSeconds(-5)));
        _api.Refuse = true;

        Assert.Null(await Refresher().RefreshAsync(sessionId, stale, TestContext.Current.CancellationToken));
        Assert.False(await _store.ExistsAsync(sessionId));
    }

    private TokenRefresher Refresher()
        => new(_store, new AuthApiClient(new HttpClient(_api, disposeHandler: false) { BaseAddress = new Uri("http://api.test") }),
            _redis, TimeProvider.System, NullLogger<TokenRefresher>.Instance);

    private static AuthenticationTicket Ticket(string sessionId, string accessToken, DateTimeOffset expiresAt)
        => SessionTickets.Create(sessionId, new ApiTokens(accessToken, "refresh-" + Name(accessToken), expiresAt),
            new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddDays(1) });

    /// <summary>A JWT-shaped token (the web reads its payload, the API verifies it) whose subject names it.</summary>
    private static string Token(string name)
        => "e30." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            sub = "01a2109c-1458-78eb-9e59-96b6760f8a16", name = "Tess", email = "tess@school.org", role = "trainee", jti = name,
        }))) + ".sig";

    private static string Name(string token)
        => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement.GetProperty("jti").GetString()!;

    /// <summary>POST /api/auth/refresh, slowly (so concurrent callers overlap), counting exchanges.</summary>
    private sealed class FakeTokenEndpoint : HttpMessageHandler
    {
        private int _refreshes;
        public int Refreshes => _refreshes;
        public bool Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/auth/refresh", request.RequestUri!.AbsolutePath);
            await Task.Delay(100, cancellationToken);
            if (Refuse)
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized)
                {
                    Content = new StringContent("""{"title":"Sign-in failed","status":401}""", Encoding.UTF8, "application/problem+json"),
                };
            }
            var n = Interlocked.Increment(ref _refreshes);
            var body = JsonSerializer.Serialize(new { accessToken = Token($"renewed-{n}"), expiresIn = 900, refreshToken = $"refresh-renewed-{n}" });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
