namespace TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;

/// <summary>The editor's tabs, and which tab a problem's JSON path belongs to (the tabs and the problem list agree on it).</summary>
public static class ScenarioSections
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
        [("setting", "Setting"), ("persona", "Persona"), ("rubric", "Rubric"), ("exemplars", "Exemplars"), ("replies", "Reply bank"), ("json", "JSON")];

    /// <summary>The tab a JSON path's field is on.</summary>
    public static string KeyOf(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() switch
    {
        "persona" or "redLines" => "persona",
        "rubric" => "rubric",
        "exemplars" => "exemplars",
        "replyBank" or "replyLines" or "closingLines" => "replies",
        _ => "setting",
    };

    public static string LabelOf(string path) => All.First(s => s.Key == KeyOf(path)).Label;
}
