using System.IO.Compression;

namespace Unlearning.Data;

/// <summary>A dataset could not be downloaded; the message says where to put the files by hand.</summary>
public sealed class DataFetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Downloads the public MovieLens datasets into <c>dataDir/ml-100k/</c> and <c>dataDir/ml-1m/</c>.
/// LFM-2B cannot be downloaded (the message explains where its files go); the synthetic
/// datasets need nothing.
/// </summary>
public static class DataFetcher
{
    private static readonly Uri GroupLens = new("https://files.grouplens.org/datasets/movielens/");

    public static string MovieLensUrl(string dataset) => new Uri(GroupLens, dataset + ".zip").ToString();

    /// <summary>Whether <see cref="FetchAsync(string, string, Action{string}?, CancellationToken)"/> can download the dataset's files.</summary>
    public static bool CanFetch(string dataset) => dataset is DatasetLoader.MovieLens100K or DatasetLoader.MovieLens1M;

    public static Task FetchAsync(string dataset, string dataDir, Action<string>? log, CancellationToken ct) =>
        FetchAsync(dataset, dataDir, log, ct, GroupLens, TimeSpan.FromSeconds(20));

    internal static async Task FetchAsync(string dataset, string dataDir, Action<string>? log, CancellationToken ct, Uri baseUri, TimeSpan timeout)
    {
        var dir = DatasetDirectory(dataset, dataDir);
        switch (dataset)
        {
            case var generated when DatasetLoader.IsGenerated(generated):
                log?.Invoke($"{dataset} is generated on load; nothing to fetch");
                return;
            case DatasetLoader.Lfm2b:
                throw new DataFetchException($"{dataset} cannot be fetched: {DatasetLoader.HowToGet(dataset, dir)}");
            case DatasetLoader.MovieLens100K or DatasetLoader.MovieLens1M:
                break;
            default:
                throw new DataFetchException($"'{dataset}' is not a downloadable dataset (ml-100k, ml-1m); for a custom dataset " +
                                             DatasetLoader.HowToGet(dataset, dir));
        }

        string[] required = dataset == DatasetLoader.MovieLens100K
            ? [MovieLens100KReader.RatingsFileName, MovieLens100KReader.UsersFileName]
            : [MovieLens1MReader.RatingsFileName, MovieLens1MReader.UsersFileName];
        if (required.All(f => File.Exists(Path.Combine(dir, f))))
        {
            log?.Invoke($"{dataset} already present in {dir}");
            return;
        }

        var url = new Uri(baseUri, dataset + ".zip");
        byte[] zip;
        try
        {
            using var http = new HttpClient { Timeout = timeout };
            log?.Invoke($"downloading {url}");
            zip = await http.GetByteArrayAsync(url, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            throw new DataFetchException(
                $"could not reach {url} ({e.Message}). Download it elsewhere and unzip {string.Join(" and ", required)} " +
                $"(plus the other files of the archive, optional) into {dir}", e);
        }

        Extract(zip, dir, url);
        foreach (var f in required)
            if (!File.Exists(Path.Combine(dir, f)))
                throw new DataFetchException($"{url} did not contain {f}; place {string.Join(" and ", required)} in {dir} by hand");
        log?.Invoke($"{dataset}: extracted into {dir}");
    }

    /// <summary>Extracts every file of the archive into <paramref name="dir"/>, dropping the
    /// archive's top folder ("ml-100k/u.data" -> dir/u.data) and refusing paths that leave it.</summary>
    private static void Extract(byte[] zip, string dir, Uri url)
    {
        Directory.CreateDirectory(dir);
        var root = Path.GetFullPath(dir) + Path.DirectorySeparatorChar;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                int slash = entry.FullName.IndexOf('/');
                var relative = slash >= 0 ? entry.FullName[(slash + 1)..] : entry.FullName;
                var target = Path.GetFullPath(Path.Combine(root, relative));
                if (!target.StartsWith(root, StringComparison.Ordinal)) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temp = target + ".part";
                entry.ExtractToFile(temp, overwrite: true);
                File.Move(temp, target, overwrite: true);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFetchException($"{url} did not return a valid zip archive ({e.Message})", e);
        }
    }

    private static string DatasetDirectory(string dataset, string dataDir) => DatasetLoader.DatasetDirectory(dataset, dataDir);
}
