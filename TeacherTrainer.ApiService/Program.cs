using Scalar.AspNetCore;
using TeacherTrainer.ApiService.Admin;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Review;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.ApiService.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiSecurity();
app.UseOutputCache();

// The API's description is public, like the status page; every other endpoint names its rule.
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();

app.MapDefaultEndpoints();
app.MapStatusApi();
app.MapScenariosApi();
app.MapScenarioAuthoringApi();
app.MapScenarioEditorApi();
app.MapEvaluationApi();
app.MapCollectionAttachmentsApi();
app.MapPracticeApi();
app.MapAuthApi();
app.MapAccountApi();
app.MapCohortsApi();
app.MapCohortPageApi();
app.MapReviewApi();
app.MapSessionPagesApi();
app.MapAdminApi();
app.MapDevelopmentApi(app.Environment);

app.Run();
