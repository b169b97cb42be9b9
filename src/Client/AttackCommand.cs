using System.CommandLine;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Reporting;
using Unlearning.Util;

namespace Unlearning.Client;

/// <summary><c>attack</c>: the attackers on a stored user representation, a finished cell's (its
/// attacked embedding and its full representation) or any .npy file with a labels file.</summary>
public static class AttackCommand
{
    public static Command Create()
    {
        var cell = new Option<string?>("--cell") { Description = "A finished cell: its result.json or the folder holding it" };
        var embeddings = new Option<string?>("--embeddings") { Description = "A user representation: a float32 .npy matrix, one row per user" };
        var labels = new Option<string?>("--labels") { Description = "Each user's attribute value, one per line in the rows' order (default for --cell: the cell's own)" };
        var view = new Option<string?>("--view") { Description = "With --cell: attacked (the paper's view), full (all the model holds about a user) or both (the default)" };
        var profile = new Option<string?>("--profile") { Description = "Attack settings' base profile (default: the cell's, or paper)" };
        var settings = new CommonOptions.Settings($"mlp_attacker.alpha=0.0001 or attack.folds=10 (attack.*, {string.Join(", ", Catalog.Registry.Attackers.All.Select(a => a.Options.Name + ".*"))} only)", "{\"mlp_attacker.hidden\": 64}");
        var seed = new Option<int?>("--seed") { Description = "Seed of the balancing, the folds and the attackers (default: the cell's, or 2023)" };
        var threads = CommonOptions.Threads();
        var output = new Option<string?>("--out") { Description = "Also write the table to this Markdown file" };
        var threat = new Option<string?>("--threat") { Description = $"What the attacker knows ({string.Join(", ", AttackThreat.All)}; default: the profile's attack.threat, paper): stale trains on the Original's representations, disclosed on the attack.disclosed_fraction of users whose attribute is public" };
        var original = new Option<string?>("--original") { Description = "With --threat stale: the Original's cell (folder or result.json); default: the one the cell started from, in its store" };
        var attackers = new Option<string?>("--attackers") { Description = $"Comma-separated attackers ({string.Join(", ", Catalog.Registry.Attackers.Names)}; default: the protocol's, {string.Join(",", Catalog.Registry.ProtocolAttackers.Select(a => a.Name))})" };
        var command = new Command("attack", "Attack a stored user representation with the MLP and tree attackers (Table 3), with the cell's attack settings or --set's")
        {
            cell, embeddings, labels, view, profile, settings.Set, settings.Config, seed, threads, output, attackers, threat, original,
        };
        command.SetAction((parse, ct) =>
        {
            var console = new ConsoleProgress();
            return CommandOutcome.Run(console, "the attack", () =>
            {
                var changed = ProfileSettings.KeysOf(settings.Profile(parse, "paper"));
                RepresentationAttack.RequireAttackSettings(changed);
                string? outFile = parse.GetValue(output) is { } o ? OutputFolder.RequireWritableFile(o, "--out") : null;
                var chosen = parse.GetValue(attackers) is { } named ? named.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
                if (chosen is { Length: 0 }) throw new ArgumentException($"--attackers names none ({string.Join(", ", Catalog.Registry.Attackers.Names)})");
                foreach (var name in chosen ?? []) Catalog.Registry.Attackers.Get(name);
                var (title, views, userLabels, baseProfile, defaultSeed, paperAuc, stored) = Target(parse.GetValue(cell), parse.GetValue(embeddings), parse.GetValue(labels), parse.GetValue(view));
                var expression = settings.Profile(parse, parse.GetValue(profile) ?? baseProfile);
                if (parse.GetValue(threat) is { } threatName)
                {
                    if (!AttackThreat.All.Contains(threatName)) throw new ArgumentException($"--threat must be {string.Join(", ", AttackThreat.All)}, got '{threatName}'");
                    expression = ProfileSettings.Compose(expression, [$"attack.threat={threatName}"]);
                }
                var resolved = ExperimentProfile.Get(expression);
                AttackThreat.Require(resolved.Attack);
                var before = resolved.Attack.Threat == AttackThreat.Stale ? Before(stored, parse.GetValue(original), views) : null;
                if (before is null && parse.GetValue(original) is not null) throw new ArgumentException("--original is for --threat stale only");
                int attackSeed = parse.GetValue(seed) ?? defaultSeed;
                TorchRuntime.SetThreads(parse.GetValue(threads));
                var attacks = CellCommand.RunOnDedicatedThread(() => views
                    .Select((v, i) => RepresentationAttack.Run(v, userLabels, resolved, attackSeed, p => console.Log($"{v.Name}: {p.Detail}"), ct, chosen, before?[i]))
                    .ToList());
                var differences = ProfileSettings.DifferencesFromPaper(resolved).Where(d => d.Contains("attack", StringComparison.Ordinal)).ToList();
                var md = AttackTable.Markdown($"{title}, attack seed {attackSeed}", attacks, TableLabels.AttackProtocol(expression)!, paperAuc) +
                         (differences.Count > 0 ? $"\nAttack settings that differ from the paper: {string.Join("; ", differences)}\n" : "");
                Console.WriteLine(md);
                if (outFile is not null)
                {
                    File.WriteAllText(outFile, md);
                    console.Log($"written: {outFile}");
                }
                return 0;
            }, e => ExplainedFailure.IsBadInput(e) || e is InvalidDataException or System.Text.Json.JsonException);
        });
        return command;
    }

    /// <summary>A file given by path is checked against its checksum where it is a stored one: it has a
    /// checksum beside it, or it lies in a cell's folder (beside a result.json), where a missing checksum
    /// means a half-copied cell. A damaged one is refused, never attacked.</summary>
    private static string VerifiedIfStored(string path) =>
        File.Exists(Storage.ArtifactChecksum.SidecarOf(path)) || File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, CellResult.FileName))
            ? Storage.ArtifactChecksum.Require(path) : path;

    /// <summary>The Original's views matching the cell's, for the stale threat: the given Original's cell, or the one the cell started from.</summary>
    private static IReadOnlyList<AttackView> Before((CellResult Result, string Path)? stored, string? original, IReadOnlyList<AttackView> views)
    {
        if (stored is not { } cell) throw new ArgumentException("--threat stale needs --cell: the Original's representations are found through the cell");
        CellResult source;
        if (original is not null)
        {
            var path = Directory.Exists(original) ? Path.Combine(original, CellResult.FileName) : original;
            if (!File.Exists(path)) throw new FileNotFoundException($"--original {path} not found: it takes the Original's result.json or its folder");
            source = CellResult.LoadBeside(path);
        }
        else source = RepresentationAttack.OriginalOf(cell.Result, cell.Path);
        return views.Select(v => RepresentationAttack.ViewsOf(source, v.Name).Single()).ToList();
    }

    private static (string Title, IReadOnlyList<AttackView> Views, UserLabels Labels, string Profile, int Seed, Func<string, double?>? PaperAuc, (CellResult Result, string Path)? Stored)
        Target(string? cell, string? embeddings, string? labels, string? view)
    {
        if ((cell is null) == (embeddings is null))
            throw new ArgumentException("give either --cell (a finished cell) or --embeddings with --labels");
        if (embeddings is not null)
        {
            if (labels is null) throw new ArgumentException("--embeddings needs --labels: each user's attribute value, one per line");
            if (view is not null) throw new ArgumentException("--view chooses among a cell's stored views; with --embeddings the file is the view");
            if (!File.Exists(embeddings)) throw new FileNotFoundException($"--embeddings {embeddings} not found");
            return ($"Attack on {Path.GetFileName(embeddings)}", [new AttackView(Path.GetFileNameWithoutExtension(embeddings), embeddings, VerifiedIfStored(embeddings))],
                UserLabels.Read(VerifiedIfStored(labels)), "paper", 2023, null, null);
        }
        var path = Directory.Exists(cell) ? Path.Combine(cell!, CellResult.FileName) : cell!;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: --cell takes a finished cell's result.json or its folder");
        var result = CellResult.LoadBeside(path);
        var groups = (labels is null ? null : VerifiedIfStored(labels)) ?? result.UserGroupsPath ?? throw new InvalidDataException($"{path}: this cell was stored before the users' attributes were kept beside it; give --labels");
        var spec = result.Cell;
        string model = TableLabels.Model(spec.Model), dataset = TableLabels.PaperDataset(spec), method = TableLabels.Method(spec.Method);
        double? Paper(string attacker) => PaperTables.Published.Attack(model, dataset, method, Catalog.Registry.Attackers.Find(attacker), "auc");
        return ($"Attack on {model} / {result.DatasetLabel} / {method} (profile {spec.Profile}, seed {spec.Seed})", RepresentationAttack.ViewsOf(result, view ?? RepresentationAttack.Both),
            UserLabels.Read(groups), spec.Profile, spec.Seed, Paper, (result, path));
    }
}
