using Unlearning.Tests.Shared;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

public class DataFetcherTests
{
    [Fact]
    public async Task Unreachable_server_says_which_files_go_where()
    {
        using var dir = new TempFolder();
        var e = await Assert.ThrowsAsync<DataFetchException>(() => DataFetcher.FetchAsync(
            "ml-100k", dir.Path, null, TestContext.Current.CancellationToken, new Uri("http://127.0.0.1:9/"), TimeSpan.FromSeconds(5)));
        Assert.Contains("could not reach http://127.0.0.1:9/ml-100k.zip", e.Message);
        Assert.Contains("u.data and u.user", e.Message);
        Assert.Contains(Path.Combine(dir.Path, "ml-100k"), e.Message);
    }

    [Fact]
    public async Task Downloads_and_extracts_without_the_archive_folder()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[]
            {
                ("ml-100k/", ""),
                ("ml-100k/u.data", "1\t10\t3\t5\n"),
                ("ml-100k/u.user", "1|24|M|technician|85711\n"),
                ("ml-100k/../../escape.txt", "outside"),
            })
            {
                var entry = archive.CreateEntry(name);
                if (content.Length == 0) continue;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
        }

        // A one-request HTTP server on a port the OS assigns (and reports through the listener).
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        int port = ((IPEndPoint)server.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var connection = await server.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            using var stream = connection.GetStream();
            using var reader = new StreamReader(stream, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(TestContext.Current.CancellationToken))) { }
            bool found = requestLine.StartsWith("GET /datasets/ml-100k.zip ", StringComparison.Ordinal);
            var body = found ? zip.ToArray() : [];
            var head = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
            await stream.WriteAsync(body, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        using var dir = new TempFolder();
        var data = dir.Sub("data");
        await DataFetcher.FetchAsync("ml-100k", data, null, TestContext.Current.CancellationToken,
            new Uri($"http://127.0.0.1:{port}/datasets/"), TimeSpan.FromSeconds(10));
        await serve;

        Assert.Equal("1\t10\t3\t5\n", File.ReadAllText(Path.Combine(data, "ml-100k", "u.data")));
        Assert.True(File.Exists(Path.Combine(data, "ml-100k", "u.user")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "escape.txt")));
        Assert.False(File.Exists(Path.Combine(data, "escape.txt")));
        Assert.Equal(1, MovieLens100KReader.Read(Path.Combine(data, "ml-100k")).Count);
    }

    [Fact]
    public async Task Lfm2b_is_explained_not_downloaded()
    {
        using var dir = new TempFolder();
        var e = await Assert.ThrowsAsync<DataFetchException>(() =>
            DataFetcher.FetchAsync("lfm-2b", dir.Path, null, TestContext.Current.CancellationToken));
        Assert.Contains("not publicly downloadable", e.Message);
        Assert.Contains("interactions.tsv", e.Message);
        Assert.Contains("users.tsv", e.Message);
        Assert.Contains("lfm-2b-synthetic", e.Message);
    }

    [Fact]
    public async Task Present_files_and_synthetic_sets_need_nothing()
    {
        using var dir = new TempFolder();
        dir.Write("ml-1m/ratings.dat", "1::1::5::1\n");
        dir.Write("ml-1m/users.dat", "1::F::1::10::1\n");
        var log = new List<string>();
        await DataFetcher.FetchAsync("ml-1m", dir.Path, log.Add, TestContext.Current.CancellationToken);
        await DataFetcher.FetchAsync("synthetic-small", dir.Path, log.Add, TestContext.Current.CancellationToken);
        Assert.Contains(log, l => l.Contains("already present"));
        Assert.Contains(log, l => l.Contains("generated"));
    }

    [Fact]
    public void Repo_paths_find_the_repository_root()
    {
        Assert.NotNull(RepoPaths.RepoRoot);
        Assert.True(File.Exists(Path.Combine(RepoPaths.RepoRoot!, "Unlearning.slnx")));
        if (RepoPaths.SharedData is { } shared)
            Assert.Equal(Path.GetFullPath(Path.Combine(RepoPaths.RepoRoot!, "..", "shared", "data")), shared);
    }
}
