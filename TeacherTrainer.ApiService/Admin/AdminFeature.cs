namespace TeacherTrainer.ApiService.Admin;

/// <summary>User and settings administration: the endpoints the feature maps.</summary>
public static class AdminFeature
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app) => app.MapAdminApi();
}
