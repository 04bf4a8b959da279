using System.Globalization;

namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    public Task<UserPage> ListUsersAsync(UserQuery query, CancellationToken cancellationToken = default)
        => GetAsync<UserPage>(Query("/api/admin/users", ("q", query.Q), ("role", query.Role),
            ("locked", query.Locked is { } locked ? (locked ? "true" : "false") : null),
            ("page", query.Page?.ToString(CultureInfo.InvariantCulture)), ("pageSize", query.PageSize?.ToString(CultureInfo.InvariantCulture))), cancellationToken);

    public Task<UserView> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
        => SendJsonAsync<UserView>(HttpMethod.Post, "/api/admin/users", request, cancellationToken);

    public Task<UserView> ChangeRoleAsync(Guid userId, string role, string reason, CancellationToken cancellationToken = default)
        => SendJsonAsync<UserView>(HttpMethod.Put, $"/api/admin/users/{userId}/role", new ChangeRoleRequest(role, reason), cancellationToken);

    public Task<UserView> LockUserAsync(Guid userId, DateTimeOffset? until, string reason, CancellationToken cancellationToken = default)
        => SendJsonAsync<UserView>(HttpMethod.Post, $"/api/admin/users/{userId}/lock", new LockUserRequest(reason, until), cancellationToken);

    public Task<UserView> UnlockUserAsync(Guid userId, CancellationToken cancellationToken = default)
        => SendJsonAsync<UserView>(HttpMethod.Post, $"/api/admin/users/{userId}/unlock", null, cancellationToken);
}
