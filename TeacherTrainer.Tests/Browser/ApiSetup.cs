using System.Net.Http.Headers;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// Arranges the world a browser test starts from through the API itself (accounts, cohorts,
/// sessions), so each test drives in the browser only what it is about.
/// </summary>
public sealed class ApiSetup(AppHostFixture system)
{
    public const string Password = "copper kettle morning walk";

    private static int _setups;

    // Each test's setup calls the API from an address of its own (X-Forwarded-For, which the API trusts from
    // loopback as it does from the web), as its browsers do (WebUi): together, the tests' sign-ins and
    // invitations would otherwise share one address's sign-in limit (20 a minute) and meet 429s.
    private readonly string _address = NextAddress();

    private static string NextAddress()
    {
        var n = Interlocked.Increment(ref _setups);
        return $"10.78.{n / 250 % 250}.{n % 250 + 1}";
    }

    private HttpClient CreateApiClient()
    {
        var client = system.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", _address);
        return client;
    }

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@browser.test";

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateApiClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(email, password));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> SignInAsAdminAsync() => SignInAsync(AppHostFixture.AdminEmail, AppHostFixture.AdminPassword);

    /// <summary>An instructor account, made by the administrator; returns its email (password <see cref="Password"/>).</summary>
    public async Task<string> CreateInstructorAsync(string name)
    {
        using var admin = await SignInAsAdminAsync();
        var email = NewEmail("instructor");
        using var response = await admin.PostAsJsonAsync("/api/admin/users", new CreateUserRequest(email, Password, name, Roles.Instructor));
        response.EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>A trainee account made by signing up (optionally into a cohort); returns its signed-in client.</summary>
    public async Task<(string Email, HttpClient Client)> SignUpTraineeAsync(string name, string? inviteCode = null)
    {
        var email = NewEmail("trainee");
        using (var anonymous = CreateApiClient())
        {
            using var response = await anonymous.PostAsJsonAsync("/api/auth/signup", new SignUpRequest(email, Password, name, inviteCode));
            response.EnsureSuccessStatusCode();
        }
        return (email, await SignInAsync(email, Password));
    }

    /// <summary>A cohort taught by the signed-in <paramref name="instructor"/>: its id and invitation code.</summary>
    public static async Task<(Guid Id, string InviteCode)> CreateCohortAsync(HttpClient instructor, string name)
    {
        using var response = await instructor.PostAsJsonAsync("/api/cohorts", new CreateCohortRequest(name));
        response.EnsureSuccessStatusCode();
        var cohort = (await response.Content.ReadFromJsonAsync<CohortDetails>())!;
        return (cohort.Id, cohort.InviteCode!);
    }

    /// <summary>A session of <paramref name="slug"/> with these replies, then ended; returns its id.</summary>
    public static async Task<Guid> PractiseAsync(HttpClient trainee, string slug, Guid? assignmentId, params string[] replies)
    {
        var id = (await SessionApi.StartSessionAsync(trainee, slug, assignmentId)).Id;
        foreach (var reply in replies)
        {
            var status = (await SessionApi.TakeTurnAsync(trainee, id, reply)).SessionStatus;
            if (status != SessionStatus.Active) return id;
        }
        using var ended = await trainee.PostAsync($"/api/sessions/{id}/end", null);
        ended.EnsureSuccessStatusCode();
        return id;
    }
}
