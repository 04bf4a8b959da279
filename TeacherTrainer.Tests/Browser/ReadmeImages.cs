namespace TeacherTrainer.Tests.Browser;

/// <summary>
/// The README shows screenshots the browser tests take. They are copied to docs/images only when
/// TT_UPDATE_README_IMAGES=1, so ordinary runs leave the working tree alone.
/// </summary>
public static class ReadmeImages
{
    public static void Copy(params string[] names)
    {
        if (Environment.GetEnvironmentVariable("TT_UPDATE_README_IMAGES") != "1") return;
        var target = Path.Combine(Fixtures.TestEnvironment.RepositoryRoot, "docs", "images");
        Directory.CreateDirectory(target);
        foreach (var name in names)
        {
            File.Copy(Path.Combine(WebUi.ScreenshotDirectory, name + ".png"), Path.Combine(target, name + ".png"), overwrite: true);
        }
    }
}
