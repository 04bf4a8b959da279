using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.Tests.Unit;

/// <summary>The endpoint recipe's problems are typed results that still answer as problem details.</summary>
public sealed class ApiProblemsTests
{
    public static TheoryData<string, int> Problems => new()
    {
        { "not-found", 404 }, { "conflict", 409 }, { "forbidden", 403 }, { "bad-request", 400 }, { "unprocessable", 422 },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task Each_problem_is_written_as_problem_details_with_its_status(string kind, int status)
    {
        IResult result = kind switch
        {
            "not-found" => ApiProblems.NotFound("Unknown cohort", "There is no such cohort."),
            "conflict" => ApiProblems.Conflict("Unknown cohort", "There is no such cohort."),
            "bad-request" => ApiProblems.BadRequest("Unknown cohort", "There is no such cohort."),
            "forbidden" => ApiProblems.Forbidden("Unknown cohort", "There is no such cohort."),
            _ => ApiProblems.Unprocessable("Unknown cohort", "There is no such cohort."),
        };
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await result.ExecuteAsync(context);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(status, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Unknown cohort", body.RootElement.GetProperty("title").GetString());
        Assert.Equal("There is no such cohort.", body.RootElement.GetProperty("detail").GetString());
    }
}
