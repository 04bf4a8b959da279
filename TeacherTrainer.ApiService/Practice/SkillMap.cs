using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// Progress is charted by skill, not by each scenario's own criterion names: every scenario
/// criterion counts towards the general rubric's criterion it is closest to in meaning (name and
/// description), and uptake is its own skill everywhere. So "de-escalating Kofi" and "calming an
/// angry parent" both feed the same line on the chart.
/// </summary>
public sealed class SkillMap(RubricBasisCache bases, IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    private readonly ConcurrentDictionary<string, string> _skillOfCriterion = new();
    private IReadOnlyList<(string Key, string Name, float[] Vector)>? _skills;

    public async Task<IReadOnlyList<(string Key, string Name)>> SkillsAsync()
    {
        var skills = await LoadSkillsAsync();
        return skills.Select(s => (s.Key, s.Name)).Prepend(("uptake", "Uptake: building on what was just said")).ToList();
    }

    /// <summary>The skill a criterion counts towards (cached by its text, which never changes within a version).</summary>
    public async Task<string> SkillOfAsync(string criterionKey, string criterionName, string description)
    {
        if (criterionKey == "uptake") return "uptake";
        var text = $"{criterionName}. {description}";
        if (_skillOfCriterion.TryGetValue(text, out var known)) return known;
        var skills = await LoadSkillsAsync();
        var direct = skills.FirstOrDefault(s => s.Key == criterionKey);
        string skill;
        if (direct.Key is not null)
        {
            skill = direct.Key;
        }
        else
        {
            var vector = (await embeddings.GenerateVectorAsync(text)).ToArray();
            skill = skills.OrderByDescending(s => VectorMath.Dot(vector, s.Vector)).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;
        }
        _skillOfCriterion[text] = skill;
        return skill;
    }

    private async Task<IReadOnlyList<(string Key, string Name, float[] Vector)>> LoadSkillsAsync()
    {
        if (_skills is not null) return _skills;
        var general = await bases.GetGeneralAsync();
        var texts = general.Criteria.Select(c => $"{c.Criterion.Name}. {c.Criterion.Description}").ToList();
        var vectors = await embeddings.GenerateAsync(texts);
        _skills = general.Criteria.Select((c, i) => (c.Criterion.Key, c.Criterion.Name, vectors[i].Vector.ToArray())).ToList();
        return _skills;
    }
}
