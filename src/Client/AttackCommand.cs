using System.CommandLine;
using Unlearning.Attack;
using Unlearning.Training;
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
        var attackers = new Option<string?>("--attackers") { Description = $"Comma-separated attackers ({string.Join(", ", Catalog.Registry.Attackers.Names)}; default: the protocol's, {string.Join(",", Catalog.Registry.ProtocolAttackers.Select(a => a.Name))}; with --ladder every one)" };
        var ladder = new Option<bool>("--ladder")
        {
            Description = $"Climb the attack ladder: every attacker on each view under each threat ({AttackThreat.Paper}; {AttackThreat.Stale} where the Original is known, " +
                          $"from --original or beside the cell; {AttackThreat.Disclosed}), and name the strongest (the largest leakage)",
        };
        var command = new Command("attack", "Attack a stored user representation with the MLP and tree attackers (Table 3), with the cell's attack settings or --set's")
        {
            cell, embeddings, labels, view, profile, settings.Set, settings.Config, seed, threads, output, attackers, threat, original, ladder,
        };
        command.SetAction((parse, ct) =>
        {
            var console = new ConsoleProgress();
            return CommandOutcome.Run(console, "the attack", () =>
            {
                var changed = ProfileSettings.KeysOf(settings.Profile(parse, "paper"));
                RepresentationAttack.RequireAttackSettings(changed);
                bool climb = parse.GetValue(ladder) || ExperimentProfile.Get(settings.Profile(parse, "paper")).Attack.Ladder;
                if (climb && parse.GetValue(threat) is not null) throw new ArgumentException("--ladder climbs every threat model: leave out --threat");
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
                // The stored cell's requesters are a fact of the cell, not an attack setting: its fraction stays whatever --profile
                // says, and they are drawn as the cell drew them, from its own stored groups (not a --labels file).
                if (stored is { } s && CellRequestFraction(s.Result.Cell) is var fraction && fraction < 1)
                {
                    expression = ProfileSettings.Compose(expression, [$"unlearning.request_fraction={fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]);
                    var cellGroups = s.Result.UserGroupsPath is { } own && own != userLabels.Source ? UserLabels.Read(own).Group : userLabels.Group;
                    userLabels = userLabels with { Requested = UnlearningRequests.Of(cellGroups, fraction, s.Result.Cell.Seed) };
                }
                var resolved = ExperimentProfile.Get(expression);
                AttackThreat.Require(resolved.Attack);
                int attackSeed = parse.GetValue(seed) ?? defaultSeed;
                TorchRuntime.SetThreads(parse.GetValue(threads));
                // The ladder climbs every threat: the profile's own threat and ladder settings say nothing of it.
                var differences = ProfileSettings.DifferencesFromPaper(resolved)
                    .Where(d => d.Contains("attack", StringComparison.Ordinal) && !(climb && d.StartsWith("attack.threat=", StringComparison.Ordinal)) && !d.StartsWith("attack.ladder=", StringComparison.Ordinal)).ToList();
                string md;
                if (climb)
                {
                    var (before, notes) = LadderBefore(stored, parse.GetValue(original), views);
                    var climbed = CellCommand.RunOnDedicatedThread(() =>
                        RepresentationAttack.Ladder(views, before, userLabels, resolved, attackSeed, notes, p => console.Log(p.Detail ?? ""), ct, chosen));
                    md = $"# {title}, attack seed {attackSeed}\n\n" +
                         LadderTable.Markdown(climbed, $"Attack ladder (balanced classes, stratified {resolved.Attack.Folds}-fold x {resolved.Attack.Repeats}; " +
                                                       $"{TableLabels.Disclosed(resolved)}, x {resolved.Attack.Repeats}); leakage |AUC - 0.5|, mean ± standard deviation over the folds");
                }
                else
                {
                    var before = resolved.Attack.Threat == AttackThreat.Stale ? Before(stored, parse.GetValue(original), views) : null;
                    if (before is null && parse.GetValue(original) is not null) throw new ArgumentException("--original is for --threat stale (or --ladder) only");
                    var attacks = CellCommand.RunOnDedicatedThread(() => views
                        .Select((v, i) => RepresentationAttack.Run(v, userLabels, resolved, attackSeed, p => console.Log($"{v.Name}: {p.Detail}"), ct, chosen, before?[i]))
                        .ToList());
                    md = AttackTable.Markdown($"{title}, attack seed {attackSeed}", attacks, TableLabels.AttackProtocol(expression)!, paperAuc);
                }
                md += differences.Count > 0 ? $"\nAttack settings that differ from the paper: {string.Join("; ", differences)}\n" : "";
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
        var source = OriginalSource(cell, original);
        return views.Select(v => RepresentationAttack.ViewsOf(source, v.Name).Single()).ToList();
    }

    /// <summary>For the ladder's stale rungs, the Original's views matching the cell's (null for a view it
    /// lacks), and what the ladder leaves out: the given Original's, else the one the cell started from,
    /// found beside it in its store; none for an Original itself, a cell that trains on its own, a cell
    /// whose Original is not found, or a bare --embeddings file.</summary>
    private static (IReadOnlyList<AttackView?> Before, List<string> Notes) LadderBefore((CellResult Result, string Path)? stored, string? original, IReadOnlyList<AttackView> views)
    {
        var none = views.Select(_ => (AttackView?)null).ToList();
        if (stored is not { } cell)
            return original is null ? (none, [$"no {AttackThreat.Stale} rung: --embeddings has no Original"]) : throw new ArgumentException("--original needs --cell");
        if (original is null && cell.Result.OriginalConfigHash is null) return (none, [AttackLadder.NoStale(cell.Result.Cell.Method)]);
        CellResult source;
        try { source = OriginalSource(cell, original); }
        catch (FileNotFoundException e) when (original is null) { return (none, [$"no {AttackThreat.Stale} rung: {e.Message}"]); }
        var notes = new List<string>();
        var before = views.Select(v =>
        {
            try { return RepresentationAttack.ViewsOf(source, v.Name).Single(); }
            catch (InvalidDataException e)
            {
                notes.Add($"no {AttackThreat.Stale} rung on the {v.Name} view: {e.Message}");
                return null;
            }
        }).ToList();
        return (before, notes);
    }

    /// <summary>The Original whose views a stale attacker learns on: the one given, else the one the cell started from, in its store.</summary>
    private static CellResult OriginalSource((CellResult Result, string Path) cell, string? original) =>
        original is not null ? OriginalCell(original) : RepresentationAttack.OriginalOf(cell.Result, cell.Path);

    /// <summary>The stored cell's <c>unlearning.request_fraction</c>; 1 for a profile this engine no longer
    /// knows unless it names the setting, which is then refused (the requesters could not be drawn).</summary>
    private static double CellRequestFraction(CellSpec spec)
    {
        try { return ExperimentProfile.Get(spec.Profile).Unlearning.RequestFraction; }
        catch (ArgumentException) when (!spec.Profile.Contains("unlearning.request_fraction", StringComparison.Ordinal))
        {
            return 1;
        }
    }

    private static CellResult OriginalCell(string original)
    {
        var path = Directory.Exists(original) ? Path.Combine(original, CellResult.FileName) : original;
        if (!File.Exists(path)) throw new FileNotFoundException($"--original {path} not found: it takes the Original's result.json or its folder");
        return CellResult.LoadBeside(path);
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
