using TeacherTrainer.AppHost.Extensions;

var builder = DistributedApplication.CreateBuilder(args);

// Containers on a developer's machine (F5), or services that already run (no container runtime):
// the same model either way. See README "Configuration".
var infrastructure = builder.AddTeacherTrainerInfrastructure();

var api = builder.AddProject<Projects.TeacherTrainer_ApiService>("apiservice")
    .WithInfrastructure(infrastructure)
    .WithSecurityParameters(infrastructure)
    .WithWebFrontEndAsKnownProxy()
    .WithHttpHealthCheck("/health")
    .WithConfiguredReplicas("Api")
    .WithDevelopmentCommands()
    .WithBackupCommand(infrastructure);

builder.AddProject<Projects.TeacherTrainer_Web>("webfrontend")
    .WithExternalHttpEndpoints()
    .WithReference(api)
    .WaitFor(api)
    .WithSignInStore(infrastructure)
    .WithLoopbackReverseProxy()
    .WithHttpHealthCheck("/health")
    .WithConfiguredReplicas("Web");

builder.Build().Run();
