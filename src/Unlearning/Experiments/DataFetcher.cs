using System.IO.Compression;
using Unlearning.Catalog;
using Unlearning.Data;

namespace Unlearning.Experiments;

/// <summary>
/// Downloads a dataset whose catalog entry has a <see cref="DatasetDescriptor.Download"/> (the public
/// MovieLens datasets) into <c>dataDir/&lt;name&gt;/</c>. Another built-in dataset cannot be downloaded
/// (the message explains where its files go); a generated one needs nothing.
/// </summary>
public static class DataFetcher
{
    /// <summary>Whether <see cref="FetchAsync(string, string, Action{string}?, CancellationToken)"/> can download the dataset's files.</summary>
    public static bool CanFetch(string dataset) => Catalog.Registry.Datasets.Find(dataset)?.Download is not null;

    public static Task FetchAsync(string dataset, string dataDir, Action<string>? log, CancellationToken ct) =>
        FetchAsync(dataset, dataDir, log, ct, baseUri: null, TimeSpan.FromSeconds(20));

    /// <param name="baseUri">Where to download from instead of the descriptor's address (its file name kept), for tests.</param>
    internal static async Task FetchAsync(string dataset, string dataDir, Action<string>? log, CancellationToken ct, Uri? baseUri, TimeSpan timeout)
    {
        var dir = DatasetLoader.DatasetDirectory(dataset, dataDir);
        var descriptor = Catalog.Registry.Dataset(dataset);
        if (descriptor.IsGenerated)
        {
            log?.Invoke($"{dataset} is generated on load; nothing to fetch");
            return;
        }
        if (descriptor.Download is not { } download)
            throw new DataFetchException(descriptor.IsCustom
                ? $"'{dataset}' is not a downloadable dataset ({string.Join(", ", Catalog.Registry.Datasets.All.Where(d => d.Download is not null).Select(d => d.Name))}); for a custom dataset {descriptor.HowToGet(dir)}"
                : $"{dataset} cannot be fetched: {descriptor.HowToGet(dir)}");

        var required = descriptor.Files;
        if (required.All(f => File.Exists(Path.Combine(dir, f))))
        {
            log?.Invoke($"{dataset} already present in {dir}");
            return;
        }

        var url = baseUri is null ? download : new Uri(baseUri, download.Segments[^1]);
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
}
