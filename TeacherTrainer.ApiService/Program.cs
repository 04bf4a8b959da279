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
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.ApiService.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddScenarios();
builder.AddIdentity();
builder.AddEvaluation();
builder.AddSimulation();
builder.AddPractice();
builder.AddCohorts();
builder.AddStatus();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiSecurity();
app.UseOutputCache();

// The API's description is public, like the status page; every other endpoint names its rule.
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();

app.MapDefaultEndpoints();
app.MapStatus();
app.MapScenarios(app.Environment);
app.MapEvaluation();
app.MapPractice();
app.MapIdentity();
app.MapCohorts();
app.MapReview();
app.MapAdmin();

app.Run();
