namespace TeacherTrainer.ApiService.Review;

/// <summary>Instructors' review of shared sessions: the endpoints the feature maps (its services are the handlers').</summary>
public static class ReviewFeature
{
    public static IEndpointRouteBuilder MapReview(this IEndpointRouteBuilder app)
    {
        app.MapReviewApi();
        app.MapSessionPagesApi();
        return app;
    }
}
