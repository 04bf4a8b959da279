using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Property-based tests (CsCheck): thousands of random and malformed bodies, ids, query strings
/// and headers, sent to every endpoint the API maps, by anonymous callers and by signed-in
/// trainees, instructors and admins. None may answer 500, and none may change the database
/// (a digest of every table's rows is the same before and after). A failure's message holds
/// CsCheck's seed ("Set seed: ..."): run again with the environment variable <c>CsCheck_Seed</c>
/// set to it to replay the same requests; each run writes CsCheck's summary and the seed it was given to the test output.
/// <c>CsCheck_Iter</c> sets how many requests each property sends (1,500 by default; docs/security.md
/// reports runs of 60,000).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MalformedRequestPropertyTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Requests per property: CsCheck's own <c>CsCheck_Iter</c> when set (a longer hunt), else 1,500.</summary>
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var n) && n > 0 ? n : 1500;

    /// <summary>An endpoint to aim at: its method, route pattern, and whether a call with no or an empty body could change something.</summary>
    public sealed record Target(string Method, string Pattern, bool RequiresBody)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    public sealed record Call(Target Target, string Path, string? Body, string ContentType, int Caller)
    {
        public override string ToString() => $"{Target.Method} {Path} as caller {Caller} [{ContentType}] {Shorten(Body)}";
    }

    private sealed record Callers(HttpClient[] Clients, Guid CohortId, Guid SessionId, Guid TurnId, Guid UserId, Guid AssignmentId, string Slug);

    [Fact]
    public async Task Random_and_malformed_bodies_never_cause_a_500_or_change_data()
    {
        var callers = await CallersAsync();
        var targets = Targets().Where(t => t.Method is "POST" or "PUT" or "PATCH").ToArray();
        var gen =
            from target in Gen.OneOf(targets)
            from body in BodyGen
            from contentType in Gen.Frequency((8, Gen.Const("application/json")), (1, Gen.OneOf("text/plain", "application/xml", "application/json; charset=utf-16", "multipart/form-data", "")))
            from caller in Gen.Int[0, callers.Clients.Length - 1]
            select new Call(target, RealPath(target, callers), body, contentType, caller);
        await AssertNoServerErrorNoChangeAsync(callers, gen.Where(c => c.Caller == 0 || !ChangesWithoutInput.Contains(c.Target.Pattern)), iterations: Iterations);
    }

    [Fact]
    public async Task Random_ids_and_query_strings_never_cause_a_500_or_change_data()
    {
        var callers = await CallersAsync();
        var gen =
            from target in Gen.OneOf(Targets())
            from values in IdGen.Array[6]
            from query in QueryGen
            from caller in Gen.Int[0, callers.Clients.Length - 1]
            select new Call(target, FillRoute(target.Pattern, values) + query, target.Method is "GET" or "DELETE" ? null : "{}", "application/json", caller);
        await AssertNoServerErrorNoChangeAsync(callers, gen.Where(c => c.Caller == 0 || !ChangesWithoutInput.Contains(c.Target.Pattern)), iterations: Iterations);
    }

    /// <summary>
    /// Calls that change data with no body and no id, so a random call may rightly change something:
    /// signing out, and a new authenticator key. Sent only anonymously.
    /// </summary>
    private static readonly HashSet<string> ChangesWithoutInput = ["/api/auth/signout", "/api/auth/two-factor/setup"];

    [Fact]
    public async Task Random_urls_never_cause_a_500_or_change_data()
    {
        var callers = await CallersAsync();
        var segment = Gen.Frequency(
            (3, Gen.OneOf("api", "auth", "me", "admin", "users", "cohorts", "scenarios", "status", "two-factor", "password", "reset", "token", "sessions", "openapi", "v1.json")),
            (2, Gen.OneOf("%00", "%01", "%7f", "%ff", "%fe%ff", "%c0%af", "%e2%80%ae", "%ed%a0%80", "%2f", "%5c", "%25", "%2e%2e", "..", ".", "", "~", "%u0000", "%", "%g1", "a%", ";x=1", "*", "%20")),
            (2, TextGen.Select(Uri.EscapeDataString)),
            (1, Gen.Int[300, 9000].Select(n => new string('s', n))));
        var gen =
            from parts in segment.Array[1, 6]
            from query in QueryGen
            from method in Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
            from caller in Gen.Int[0, callers.Clients.Length - 1]
            let path = "/api/" + string.Join("/", parts) + query
            select new Call(new Target(method, path, false), path, method is "GET" or "DELETE" or "HEAD" or "OPTIONS" ? null : "{}", "application/json", caller);
        await AssertNoServerErrorNoChangeAsync(callers, gen.Where(c => c.Caller == 0 || !ChangesWithoutInput.Any(p => c.Path.StartsWith(p, StringComparison.Ordinal))),
            iterations: Iterations);
    }

    [Fact]
    public async Task Random_headers_never_cause_a_500_or_change_data()
    {
        var callers = await CallersAsync();
        var admin = (await api.IssueTokensAsync(callers.UserId)).AccessToken;
        var authorization = Gen.OneOf(
            Gen.Const((string?)null),
            TextGen.Select(t => (string?)("Bearer " + t)),
            // One character of the signed part changed: the signature no longer matches. (Not in the
            // signature itself: its last character's spare bits can change without changing the bytes.)
            Gen.Int[0, admin.LastIndexOf('.') - 1].Select(Gen.Char['A', 'z'], (i, c) => (string?)("Bearer " + admin[..i] + (c == admin[i] ? '~' : c) + admin[(i + 1)..])),
            Gen.OneOf<string?>("Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer " + admin.ToUpperInvariant(), "Bearer " + admin + "." + admin, "Negotiate abc"),
            TamperedTokenGen(admin).Select(t => (string?)("Bearer " + t)));
        var gen =
            from auth in authorization
            from accept in Gen.OneOf("*/*", "application/json", "text/html", "application/xml", "garbage/;;;", "")
            from contentType in Gen.OneOf("application/json", "application/json; charset=ebcdic", "text/plain", "application/x-www-form-urlencoded", "a/b/c", "")
            from extra in TextGen
            from request in Gen.OneOf(("GET", "/api/auth/me", (string?)null), ("GET", "/api/admin/users", null), ("GET", "/api/scenarios", null),
                ("POST", "/api/cohorts", "{\"name\":\"Header test\"}"), ("PUT", $"/api/admin/users/{callers.UserId}/role", "{\"role\":\"trainee\",\"reason\":\"header test\"}"),
                ("POST", "/api/auth/signout", null), ("POST", $"/api/admin/users/{callers.UserId}/lock", "{\"reason\":\"header test\"}"))
            select (auth, accept, contentType, extra, request);
        var before = await DigestAsync();
        var sent = 0;
        await gen.SampleAsync(async sample =>
        {
            Interlocked.Increment(ref sent);
            var (auth, accept, contentType, extra, (method, path, body)) = sample;
            using var client = api.CreateClient();
            using var message = new HttpRequestMessage(new HttpMethod(method), path);
            if (auth is not null) message.Headers.TryAddWithoutValidation("Authorization", auth);
            message.Headers.TryAddWithoutValidation("Accept", accept);
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", extra);
            message.Headers.TryAddWithoutValidation("Cookie", extra);
            message.Headers.TryAddWithoutValidation("If-None-Match", extra);
            if (body is not null)
            {
                message.Content = new StringContent(body);
                message.Content.Headers.Remove("Content-Type");
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            using var response = await client.SendAsync(message, Ct);
            Assert.True((int)response.StatusCode < 500,
                $"{(int)response.StatusCode} for {method} {path} auth={Shorten(auth)} accept={accept} content-type={contentType} extra={Shorten(extra)}: {await response.Content.ReadAsStringAsync(Ct)}\n{LastServerError()}");
            AssertWellFormed(response, $"{method} {path} auth={Shorten(auth)}");
        }, writeLine: WriteSeed, iter: Iterations, threads: 2);
        Assert.True(sent >= Iterations, $"only {sent} requests were sent");
        Assert.Equal(before, await DigestAsync());
    }

    /// <summary>
    /// A real token made wrong in the ways an attacker tries: a payload edited (another user, the
    /// admin role, no expiry) with the old signature, the algorithm swapped (none, HS512, RS256), the
    /// signature cut or garbled, too few or too many parts, parts that are not base64url or not JSON.
    /// </summary>
    private static Gen<string> TamperedTokenGen(string token)
    {
        var parts = token.Split('.');
        static string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var payloads = Gen.OneOf(
            "{\"sub\":\"" + Guid.NewGuid() + "\",\"role\":\"admin\"}", "{\"role\":[\"admin\"],\"exp\":99999999999}", "{}", "[]", "null", "{\"sub\":1e400}",
            "{\"exp\":\"tomorrow\"}", "{\"sub\":\"\\u0000\"}", "not json");
        var headers = Gen.OneOf("{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"alg\":\"RS256\",\"kid\":\"tt-hs256\"}",
            "{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}", "{\"alg\":\"HS256\",\"jku\":\"http://evil.example/keys\"}", "{}", "null", "{\"alg\":");
        return Gen.Frequency(
            (3, payloads.Select(p => $"{parts[0]}.{Encode(p)}.{parts[2]}")),
            (3, headers.Select(h => $"{Encode(h)}.{parts[1]}.{parts[2]}")),
            (1, headers.Select(h => $"{Encode(h)}.{parts[1]}.")),
            (2, Gen.OneOf(parts[0] + parts[1] + parts[2], $"{parts[0]}.{parts[1]}", $"{parts[0]}.{parts[1]}.", $"{parts[0]}..{parts[2]}", $".{parts[1]}.{parts[2]}",
                $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[2]}.{parts[2]}", "..", ".", "a.b.c", "a.b", "!!!.@@@.###", $"{parts[0]}.{parts[1]}.{parts[2][..^8]}",
                new string('A', 20_000), $"{parts[0]}.{parts[1]}.{new string('A', 5000)}")),
            (1, Gen.Int[0, token.Length - 1].Select(Gen.String[Gen.Char[".!%é漢 "], 1, 3], (i, junk) => token.Insert(i, junk))));
    }

    /// <summary>Every answer has the security headers; a 401's challenge is one short line of our own words.</summary>
    private static void AssertWellFormed(HttpResponseMessage response, string request)
    {
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"no nosniff for {request}");
        Assert.True(response.Headers.Contains("Content-Security-Policy"), $"no CSP for {request}");
        if (response.StatusCode != HttpStatusCode.Unauthorized) return;
        var challenge = string.Join(",", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Matches(@"^Bearer( error=""invalid_token"", error_description=""[A-Za-z ,()']{1,80}"")?$", challenge);
    }

    private static void WriteSeed(string summary) => TestContext.Current.SendDiagnosticMessage(
        $"CsCheck: {summary} (CsCheck_Seed={Environment.GetEnvironmentVariable("CsCheck_Seed") ?? "unset: a random start; a failure prints the seed that replays it"})");

    private async Task AssertNoServerErrorNoChangeAsync(Callers callers, Gen<Call> gen, int iterations)
    {
        var before = await DigestAsync();
        var sent = 0;
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await gen.SampleAsync(async call =>
        {
            Interlocked.Increment(ref sent);
            using var message = new HttpRequestMessage(new HttpMethod(call.Target.Method), call.Path);
            if (call.Body is not null)
            {
                message.Content = new StringContent(call.Body, Encoding.UTF8);
                message.Content.Headers.ContentType = call.ContentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(call.ContentType);
            }
            HttpResponseMessage response;
            try
            {
                response = await callers.Clients[call.Caller].SendAsync(message, Ct);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
            {
                return; // The in-memory test server will not send a path with NUL in it (Kestrel answers 400 itself).
            }
            using (response)
            {
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}\n{LastServerError()}");
                AssertWellFormed(response, call.ToString());
                // Kept to name the culprit if the data did change.
                if (response.IsSuccessStatusCode) accepted.Enqueue($"{(int)response.StatusCode} {call}");
            }
        }, writeLine: WriteSeed, iter: iterations, threads: 2, print: c => c.ToString());
        Assert.True(sent >= iterations, $"only {sent} requests were sent");
        var after = await DigestAsync();
        Assert.True(before == after, $"The data changed. Tables before and after:\n{before}\n{after}\nRequests that were accepted:\n{string.Join("\n", accepted.Take(20))}");
        TestContext.Current.SendDiagnosticMessage($"{sent} requests ({accepted.Count} accepted without a change), no 500, no data change");
    }

    // ---------------------------------------------------------------- generators

    /// <summary>Strings a client might send, weighted towards trouble: control characters, lone surrogates, quotes, long runs.</summary>
    private static readonly Gen<string> TextGen = Gen.Frequency(
        (4, Gen.String[Gen.Char, 0, 40]),
        (2, Gen.String[Gen.Char["\0\u0001\u001f\u007f\u0085\ud800\udfff\ufffe\uffff\"'\\<>%&;{}[]$@/\n\r\t é漢🙂"], 0, 20]),
        (1, Gen.Int[200, 3000].Select(n => new string('x', n))),
        (1, Gen.OneOf("", " ", "null", "undefined", "NaN", "-1", "0", "99999999999999999999999", "1e400", "'; drop table cohorts; --", "../../etc/passwd", "%00", "{{7*7}}")));

    /// <summary>
    /// JSON values that are wrong for every field of every request: bad strings, numbers out of every
    /// range, wrong kinds. Each must be wrong everywhere, or a lucky draw makes a valid request and a
    /// real change: strings are longer than the longest text field (a reflection, 8,000), and control
    /// characters always include one that is refused (tab, line feed and carriage return are allowed).
    /// </summary>
    private static readonly Gen<string> BadValueGen = Gen.Frequency(
        (3, Gen.OneOf("\"\"", "\"\\u0000\"", "\"a\\u0001b\"", "\"\\ud800\"", "\"\\udfff x\"", "\"\\uffff\"", "\"not-a-date\\u0000\"", "\"2026-13-45T99:99:99Z\\u0001\"")),
        (2, Gen.OneOf("-1", "101", "1e308", "-1e308", "3.5", "99999999999999999999999999999", "-0.0000001", "true", "false", "[]", "{}", "[1,2,3]", "{\"a\":{\"b\":1}}")),
        (1, Gen.Int[PracticeLimits.MaxReflection + 1, 20000].Select(n => "\"" + new string('y', n) + "\"")),
        (1, Gen.Select(Gen.String[Gen.Char['\0', '\u001f'], 0, 9], Gen.Char['\0', '\u0008'], Gen.Int[0, 9],
            (s, refused, at) => System.Text.Json.JsonSerializer.Serialize("x" + s.Insert(Math.Min(at, s.Length), refused.ToString())))));

    private static readonly string[] Fields =
        ["email", "password", "displayName", "inviteCode", "refreshToken", "name", "description", "scenarioSlug", "dueAt", "note", "text", "score", "reason", "role", "until", "Email", "EMAIL", "__proto__", "$type"];

    private static readonly Gen<string> ObjectGen =
        Gen.Select(Gen.OneOf(Fields), BadValueGen, (k, v) => $"\"{k}\":{v}").Array[0, 6]
            .Select(pairs => "{" + string.Join(",", pairs) + "}");

    private static readonly Gen<string> BodyGen = Gen.Frequency(
        (5, ObjectGen),
        (2, TextGen),
        (1, Gen.OneOf("null", "[]", "true", "0", "\"text\"", "{", "}", "{\"email\":", "{\"email\":\"a@b.c\",}", "[{}]", "{\"a\":1}{\"b\":2}")),
        (1, Gen.Int[33, 200].Select(n => new string('[', n) + new string(']', n))),
        (1, Gen.Int[33, 200].Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n))),
        (1, Gen.Bool.Select(big => big ? "{\"text\":\"" + new string('z', 2 * 1024 * 1024) + "\"}" : "{\"name\":\"" + new string('z', 40 * 1024) + "\"}")));

    /// <summary>Route values: random guids (no such thing), non-guids, huge numbers, hostile strings.</summary>
    private static readonly Gen<string> IdGen = Gen.Frequency(
        (3, Gen.Guid.Select(g => g.ToString())),
        (1, Gen.Const(Guid.Empty.ToString())),
        (1, Gen.OneOf("99999999999999999999999999", "-1", "0", "1e9", "00000000-0000-0000-0000-00000000000g", "..", "%2e%2e", "v1", "%00", "%ff%fe", "uptake")),
        (2, TextGen.Select(Uri.EscapeDataString)));

    private static readonly Gen<string> QueryGen = Gen.Frequency(
        (2, Gen.Const("")),
        (3, Gen.Select(Gen.OneOf("page", "pageSize", "limit", "q", "role", "category", "gradeBand", "difficulty", "x"), TextGen, (k, v) => $"{k}={Uri.EscapeDataString(v)}")
            .Array[1, 4].Select(parts => "?" + string.Join("&", parts))),
        (1, Gen.OneOf("?page=0", "?pageSize=101", "?page=-5", "?limit=100000", "?page=99999999999999", "?q=%00", "?q=%ud800", "?role=admin&role=trainee", "?=&&&=")));

    // ---------------------------------------------------------------- helpers

    private Target[] Targets()
        => api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Target(m, e.RoutePattern.RawText!,
                e.Metadata.GetMetadata<IAcceptsMetadata>() is { IsOptional: false })))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// The target's route filled with ids of real things (so the body is what gets judged), except
    /// where a call without a valid body could legitimately change something: there, random ids.
    /// </summary>
    private static string RealPath(Target target, Callers c)
    {
        if (!target.RequiresBody) return FillRoute(target.Pattern, [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()]);
        var path = target.Pattern
            .Replace("{cohortId:guid}", c.CohortId.ToString(), StringComparison.Ordinal)
            .Replace("{sessionId:guid}", c.SessionId.ToString(), StringComparison.Ordinal)
            .Replace("{turnId:guid}", c.TurnId.ToString(), StringComparison.Ordinal)
            .Replace("{userId:guid}", c.UserId.ToString(), StringComparison.Ordinal)
            .Replace("{assignmentId:guid}", c.AssignmentId.ToString(), StringComparison.Ordinal)
            .Replace("{criterionKey}", TestData.CriterionKey, StringComparison.Ordinal)
            .Replace("{slug}", c.Slug, StringComparison.Ordinal);
        return FillRoute(path, [Guid.NewGuid().ToString()]);
    }

    private static string FillRoute(string pattern, IReadOnlyList<string> values)
    {
        var builder = new StringBuilder();
        var index = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '{') { builder.Append(pattern[i]); continue; }
            var end = pattern.IndexOf('}', i);
            builder.Append(values[index++ % values.Count]);
            i = end;
        }
        return builder.ToString();
    }

    private string LastServerError() => api.ServerErrors.Entries.LastOrDefault() ?? "(no server error logged)";

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 120 ? text : text[..120] + $"... ({text.Length} chars)";

    private static Callers? _callers;
    private static readonly SemaphoreSlim CallersLock = new(1, 1);

    /// <summary>Anonymous, a trainee, the trainee's instructor and an admin, with a cohort, assignment and session between them.</summary>
    private async Task<Callers> CallersAsync()
    {
        await CallersLock.WaitAsync();
        try
        {
            if (_callers is not null) return _callers;
            var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
            var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
            var admin = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
            await using var scope = api.CreateScope();
            var db = api.Db(scope);
            var cohort = await TestData.AddCohortAsync(db, instructor.Id, trainee.Id);
            var assignment = await TestData.AddAssignmentAsync(db, cohort.Id, instructor.Id);
            var session = await TestData.AddSessionAsync(db, trainee.Id, assignment.Id);
            _callers = new Callers(
                [api.CreateClient(), await api.CreateClientForAsync(trainee.Id), await api.CreateClientForAsync(instructor.Id), await api.CreateClientForAsync(admin.Id)],
                cohort.Id, session.Id, session.Turns[0].Id, trainee.Id, assignment.Id, await TestData.AnyScenarioSlugAsync(db));
            return _callers;
        }
        finally
        {
            CallersLock.Release();
        }
    }

    /// <summary>A digest of every row of every table in the public schema.</summary>
    private async Task<string> DigestAsync()
    {
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var tables = await db.Database.SqlQuery<string>(
            $"select table_name as \"Value\" from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name").ToListAsync(Ct);
        var digest = new StringBuilder();
        foreach (var table in tables)
        {
#pragma warning disable EF1002 // table names come from the catalogue, not from input
            var hash = await db.Database.SqlQueryRaw<string>(
                $"select coalesce(md5(string_agg(t::text, '|' order by t::text)), '-') as \"Value\" from \"{table}\" t").SingleAsync(Ct);
#pragma warning restore EF1002
            digest.Append(table).Append('=').Append(hash).Append('\n');
        }
        return digest.ToString();
    }
}
