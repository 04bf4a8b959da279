using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    public Task<IReadOnlyList<CollectionSummary>> ListCollectionsAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<CollectionSummary>>("/api/collections", cancellationToken);

    /// <summary>
    /// Creates or replaces an exemplar collection in one request. <paramref name="sent"/> hears how
    /// many bytes of the request have gone to the API (out of the total it is told first).
    /// </summary>
    public async Task<CollectionSummary> ImportCollectionAsync(string name, CollectionRequest request,
        IProgress<UploadProgress>? sent = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        using var response = await SendAsync(HttpMethod.Put, $"/api/collections/{Segment(name)}",
            () => new ProgressContent(body, sent), cancellationToken);
        return await ReadAsync<CollectionSummary>(response, cancellationToken);
    }

    /// <summary>The owner's quality view: separation of expert and novice replies, and the items that look mislabelled.</summary>
    public Task<CollectionQualityReport> GetCollectionQualityAsync(string name, int top = 20, CancellationToken cancellationToken = default)
        => GetAsync<CollectionQualityReport>($"/api/collections/{Segment(name)}/quality?top={top}", cancellationToken);

    public Task DeleteCollectionAsync(string name, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/collections/{Segment(name)}", null, cancellationToken);

    /// <summary>Shares a collection with one of the caller's cohorts: its trainees may then be judged against it.</summary>
    public Task<CollectionSummary> ShareCollectionAsync(string name, Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync<CollectionSummary>(HttpMethod.Put, $"/api/collections/{Segment(name)}/shares/{cohortId}", null, cancellationToken);

    public Task UnshareCollectionAsync(string name, Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/collections/{Segment(name)}/shares/{cohortId}", null, cancellationToken);

    /// <summary>The scenarios and cohorts whose practice the collection judges (its owner and admins).</summary>
    public Task<CollectionAttachments> GetCollectionAttachmentsAsync(string name, CancellationToken cancellationToken = default)
        => GetAsync<CollectionAttachments>($"/api/collections/{Segment(name)}/attachments", cancellationToken);

    public Task<CollectionAttachments> AttachCollectionToScenarioAsync(string name, string slug, CancellationToken cancellationToken = default)
        => SendJsonAsync<CollectionAttachments>(HttpMethod.Put, $"/api/collections/{Segment(name)}/attachments/scenarios/{Segment(slug)}", null, cancellationToken);

    public Task DetachCollectionFromScenarioAsync(string name, string slug, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/collections/{Segment(name)}/attachments/scenarios/{Segment(slug)}", null, cancellationToken);

    public Task<CollectionAttachments> AttachCollectionToCohortAsync(string name, Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync<CollectionAttachments>(HttpMethod.Put, $"/api/collections/{Segment(name)}/attachments/cohorts/{cohortId}", null, cancellationToken);

    public Task DetachCollectionFromCohortAsync(string name, Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/collections/{Segment(name)}/attachments/cohorts/{cohortId}", null, cancellationToken);

    /// <summary>A JSON body written in pieces, reporting how much has been handed to the connection.</summary>
    private sealed class ProgressContent : HttpContent
    {
        private const int ChunkSize = 64 * 1024;
        private readonly byte[] _body;
        private readonly IProgress<UploadProgress>? _progress;

        public ProgressContent(byte[] body, IProgress<UploadProgress>? progress)
        {
            _body = body;
            _progress = progress;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            _progress?.Report(new UploadProgress(0, _body.Length));
            for (var offset = 0; offset < _body.Length; offset += ChunkSize)
            {
                var count = Math.Min(ChunkSize, _body.Length - offset);
                await stream.WriteAsync(_body.AsMemory(offset, count), cancellationToken);
                _progress?.Report(new UploadProgress(offset + count, _body.Length));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}

/// <summary>How much of a request body has been sent.</summary>
public readonly record struct UploadProgress(long Sent, long Total)
{
    public double Fraction => Total == 0 ? 1 : (double)Sent / Total;
}
