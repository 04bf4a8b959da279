using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TeacherTrainer.Tests.Fixtures;
using TeacherTrainer.Web.Extensions;
using TeacherTrainer.Web.Services.Security;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The web's data-protection key ring in the real (sessions) Redis: encrypted there, so reading
/// Redis yields no key that could forge or open a sign-in ticket, and required outside Development.
/// </summary>
public sealed class WebKeyRingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string Secret = TestEnvironment.NewSecretKey();

    [Fact]
    public async Task The_stored_key_ring_holds_only_encrypted_keys_and_only_the_configured_key_opens_them()
    {
        var sessions = await TestEnvironment.CreateSessionsDatabaseAsync();
        using var writer = Host(sessions, Secret);
        var ticket = writer.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a sign-in ticket");

        await using var redis = await ConnectionMultiplexer.ConnectAsync(sessions);
        var stored = (await redis.GetDatabase().ListRangeAsync(DataProtectionExtensions.KeysKey)).Select(v => v.ToString()).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });

        // Another replica with the same key reads the ring; one with another key cannot.
        using var replica = Host(sessions, Secret);
        Assert.Equal("a sign-in ticket", replica.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(ticket));
        using var stranger = Host(sessions, TestEnvironment.NewSecretKey());
        Assert.ThrowsAny<CryptographicException>(() => stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(ticket));
    }

    [Fact]
    public void Outside_Development_the_web_refuses_to_start_without_the_key()
    {
        using var web = new WebApplicationFactory<TeacherTrainer.Web.Components.App>().WithWebHostBuilder(b => b
            .UseEnvironment(Environments.Production)
            .UseSetting("ConnectionStrings:sessions", "127.0.0.1:1")
            .UseSetting(KeyRingEncryption.ConfigurationKey, ""));

        var error = Assert.ThrowsAny<Exception>(() => web.Server);

        Assert.Contains(KeyRingEncryption.ConfigurationKey, Messages(error));
    }

    [Fact]
    public void A_key_shorter_than_32_characters_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new KeyRingEncryption("too-short"));
        Assert.Contains("32", error.Message);
    }

    private static IHost Host(string sessions, string secret)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["ConnectionStrings:sessions"] = sessions;
        builder.Configuration[KeyRingEncryption.ConfigurationKey] = secret;
        builder.AddSharedDataProtection();
        return builder.Build();
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }
}
