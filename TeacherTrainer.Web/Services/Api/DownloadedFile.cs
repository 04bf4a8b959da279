namespace TeacherTrainer.Web.Services.Api;

/// <summary>A downloaded file: its name and text.</summary>
public sealed record DownloadedFile(string FileName, string Text, string MediaType);
