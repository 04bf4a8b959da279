using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Tests.Unit;

public sealed class ZzGoalTests
{
    [Fact]
    public async Task Goals()
    {
        var file = Environment.GetEnvironmentVariable("TT_GOALS");
        if (file is null) return;
        var lines = File.ReadAllLines(file).Where(l => l.Trim().Length > 0).ToList();
        var sim = await PersonaSimulator.ForAsync(lines[0].Trim());
        var encoder = EvaluationServices.CreateInProcess().GetRequiredService<ReplyEncoder>();
        var sb = new System.Text.StringBuilder();
        foreach (var reply in lines.Skip(1))
        {
            var encoded = await encoder.EncodeReplyAsync(reply, CancellationToken.None);
            var parts = GoalTracker.PartsOf(encoded);
            sb.AppendLine(reply);
            foreach (var g in sim.Model.Goals)
                sb.AppendLine($"   {g.Goal.Key,-28} {GoalTracker.Closeness(g, parts):F3} (whole {GoalTracker.Closeness(g, [parts[0]]):F3})");
        }
        File.WriteAllText("/tmp/goals.txt", sb.ToString());
    }
}
