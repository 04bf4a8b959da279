using Microsoft.AspNetCore.Components;
using TeacherTrainer.Web.Extensions;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Components.Shared;

/// <summary>
/// A page or component that calls the API. <see cref="RunAsync"/> turns a refusal into
/// <see cref="Problem"/> (a sentence the page shows) and an ended sign-in into a trip to the
/// sign-in page; <see cref="Aborted"/> cancels calls when the user leaves.
/// </summary>
public abstract class ApiComponentBase : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _aborted = new();

    [Inject] protected ApiClient Api { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;

    /// <summary>What went wrong with the last call, in words; null when it succeeded.</summary>
    protected string? Problem { get; set; }

    /// <summary>The last refusal, for pages that show field messages.</summary>
    protected ApiProblemException? LastProblem { get; private set; }

    protected CancellationToken Aborted => _aborted.Token;

    /// <returns>Whether the call succeeded.</returns>
    protected async Task<bool> RunAsync(Func<CancellationToken, Task> call)
    {
        Problem = null;
        LastProblem = null;
        try
        {
            await call(Aborted);
            return true;
        }
        catch (SignedOutException)
        {
            SendToSignIn();
            return false;
        }
        catch (ApiProblemException problem)
        {
            LastProblem = problem;
            Problem = problem.UserMessage;
            return false;
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
            return false;
        }
    }

    protected void SendToSignIn() => Navigation.NavigateTo(Navigation.SignInUrl(), forceLoad: true);

    public async ValueTask DisposeAsync()
    {
        await _aborted.CancelAsync();
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the page holds (JS modules); the API calls are cancelled already.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
