using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;
using TeacherTrainer.Web.Services.Security;

namespace TeacherTrainer.Web.Extensions;

public static class DataProtectionExtensions
{
    /// <summary>The Redis the web keeps its sign-ins in: its own, never evicted, never the API's output cache.</summary>
    public const string SessionsConnectionName = "sessions";

    public const string KeysKey = "teachertrainer:web:data-protection-keys";

    /// <summary>
    /// Data-protection keys in the <c>sessions</c> Redis, so every replica can read the cookies,
    /// anti-forgery tokens and sign-in tickets another one wrote, and encrypted there with the key
    /// in <c>DataProtection:KeyEncryptionKey</c> (the AppHost generates it as a secret parameter), so
    /// reading that Redis yields no usable key. Outside Development the web refuses to start
    /// without that key.
    /// </summary>
    public static IHostApplicationBuilder AddSharedDataProtection(this IHostApplicationBuilder builder)
    {
        var encryption = KeyRingEncryption.FromConfiguration(builder.Configuration, builder.Environment);
        builder.AddRedisClient(SessionsConnectionName);
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("TeacherTrainer.Web");
        if (encryption is not null)
        {
            builder.Services.AddSingleton(encryption);
            dataProtection.AddKeyManagementOptions(options => options.XmlEncryptor = new KeyRingEncryptor(encryption));
        }
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), KeysKey));
        return builder;
    }
}
