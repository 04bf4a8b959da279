using Scalar.AspNetCore;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOutputCache();

app.MapOpenApi();
app.MapScalarApiReference();

app.MapDefaultEndpoints();
app.MapStatusApi();
app.MapScenariosApi();
app.MapEvaluationApi();
app.MapPracticeApi();

app.Run();
