using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace TeacherTrainer.Web.Extensions;

public static class DataProtectionExtensions
{
    private const string KeysKey = "teachertrainer:web:data-protection-keys";

    /// <summary>
    /// Data-protection keys in Redis (the <c>cache</c> resource), so every replica can read the
    /// cookies, anti-forgery tokens and session tickets another one wrote.
    /// </summary>
    public static IHostApplicationBuilder AddSharedDataProtection(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("cache");
        builder.Services.AddDataProtection().SetApplicationName("TeacherTrainer.Web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), KeysKey));
        return builder;
    }
}
