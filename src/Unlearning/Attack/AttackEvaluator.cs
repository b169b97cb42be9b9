using Unlearning.Util;
namespace Unlearning.Attack;

/// <summary>
/// Protocol section 6: balance the groups, then repeated stratified k-fold of an attack: binary for
/// two groups (positive = <c>positiveLabel</c>), multi-class for more (every group its own class,
/// macro-averaged metrics; see <see cref="ClassificationMetrics"/>).
/// </summary>
public static class AttackEvaluator
{
    /// <param name="embeddings">Row-major user representations, <c>labels.Length</c> rows x <paramref name="dim"/>.</param>
    /// <param name="labels">Group id per user; every group is sampled down to the smallest and folds are stratified by group.</param>
    /// <param name="positiveLabel">The group scored as positive (the minority attribute value) of a
    /// binary attack; with more than two groups, every group is a class and it only has to exist.</param>
    /// <param name="before">Under the <c>stale</c> threat (<see cref="AttackOptions.Threat"/>): the same users'
    /// representations before unlearning (the Original's), on which the attacker trains.</param>
    /// <param name="requested">Per user, whether they asked for their attribute to be forgotten
    /// (<c>unlearning.request_fraction</c> below 1); null: everyone did. Under the <c>disclosed</c> threat the
    /// attacker then trains on the users who did not ask (their attribute is known) and predicts those who did.</param>
    public static AttackReport Evaluate(IAttacker attacker, float[] embeddings, int dim, int[] labels, int positiveLabel, AttackOptions options, float[]? before = null,
        bool[]? requested = null)
    {
        ArgumentNullException.ThrowIfNull(attacker);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        Validate(embeddings, dim, labels, positiveLabel, options);
        AttackThreat.Require(options);
        if (options.Threat == AttackThreat.Stale && before?.Length != embeddings.Length)
            throw new ArgumentException(before is null
                ? "attack.threat=stale needs the representations before unlearning (the Original's) to train on"
                : $"the representations before unlearning have {before.Length} values, the attacked ones {embeddings.Length}");

        if (requested is not null && requested.Length != labels.Length)
            throw new ArgumentException($"{requested.Length} request flags for {labels.Length} users");
        var users = BalancedSampler.Sample(labels, new Random(DeriveSeed(options.Seed, 0)));
        var groups = users.Select(u => labels[u]).ToArray();
        var asked = requested is null ? null : users.Select(u => requested[u]).ToArray();
        // Classes 0..k-1 in ascending label order, for a multi-class attack.
        var classOf = groups.Distinct().Order().Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index);
        int classes = classOf.Count;
        var x = Rows(embeddings, dim, users);
        // Where the attacker learns from: the published rows, or under the stale threat the same users' rows before unlearning.
        var learnFrom = options.Threat == AttackThreat.Stale ? Rows(before!, dim, users) : x;
        var folds = new List<ClassificationMetrics>();
        int singleClass = 0;
        foreach (var (train, test) in Splits(groups, options, asked))
        {
            int fitSeed = DeriveSeed(options.Seed, 1_000_000 + folds.Count);
            if (classes == 2)
            {
                var yTrain = train.Select(i => groups[i] == positiveLabel ? 1 : 0).ToArray();
                var scores = attacker.FitPredict(Rows(learnFrom, dim, train), yTrain, Rows(x, dim, test), dim, fitSeed);
                if (DegenerateAttacker.OneClass(scores)) singleClass++;
                folds.Add(ClassificationMetrics.Compute(test.Select(i => groups[i] == positiveLabel).ToArray(), scores));
            }
            else
            {
                var yTrain = train.Select(i => classOf[groups[i]]).ToArray();
                var probabilities = attacker.FitPredictGroups(Rows(learnFrom, dim, train), yTrain, Rows(x, dim, test), dim, classes, fitSeed);
                if (DegenerateAttacker.OneClass(probabilities, classes)) singleClass++;
                folds.Add(ClassificationMetrics.Compute(test.Select(i => classOf[groups[i]]).ToArray(), probabilities, classes));
            }
        }
        return new AttackReport(attacker.Name, ClassificationMetrics.Mean(folds),
            ClassificationMetrics.StandardDeviation(folds), users.Length, folds.Count, singleClass);
    }

    /// <summary>The (train, test) row sets of an attack, over the balanced users: repeated stratified
    /// k-fold (the paper's and the stale threat's), or under the disclosed threat, per repeat, a share of
    /// each group drawn as the public users to train on and the rest to predict; where only some users
    /// asked to be forgotten (<paramref name="requested"/>, per balanced row), the public users are those who
    /// did not ask and the predicted ones those who did (the same rows every repeat; the fits' seeds differ).</summary>
    public static IEnumerable<(int[] Train, int[] Test)> Splits(int[] groups, AttackOptions options, bool[]? requested = null)
    {
        if (options.Threat == AttackThreat.Disclosed && requested is not null) RequireBothSides(groups, requested);
        for (int repeat = 0; repeat < options.Repeats; repeat++)
        {
            var splitRng = new Random(DeriveSeed(options.Seed, 1 + repeat));
            if (options.Threat != AttackThreat.Disclosed)
            {
                foreach (var fold in StratifiedKFold.Split(groups, options.Folds, splitRng)) yield return fold;
                continue;
            }
            if (requested is not null)
            {
                yield return ([.. Enumerable.Range(0, groups.Length).Where(i => !requested[i])], [.. Enumerable.Range(0, groups.Length).Where(i => requested[i])]);
                continue;
            }
            var train = new List<int>();
            var test = new List<int>();
            foreach (var group in Enumerable.Range(0, groups.Length).GroupBy(i => groups[i]).OrderBy(g => g.Key))
            {
                var members = group.ToArray();
                splitRng.Shuffle(members);
                int disclosed = Math.Clamp((int)Math.Round(options.DisclosedFraction * members.Length), 1, members.Length - 1);
                train.AddRange(members[..disclosed]);
                test.AddRange(members[disclosed..]);
            }
            yield return ([.. train.Order()], [.. test.Order()]);
        }
    }

    /// <summary>Throws, before any work, where the disclosed split of <see cref="Evaluate"/> with these
    /// requesters and this attack seed would leave a group of the balanced users without users who asked
    /// or without users who did not.</summary>
    public static void RequireDisclosedSplit(int[] labels, bool[] requested, int seed)
    {
        var users = BalancedSampler.Sample(labels, new Random(DeriveSeed(seed, 0)));
        RequireBothSides(users.Select(u => labels[u]).ToArray(), users.Select(u => requested[u]).ToArray());
    }

    /// <summary>An attacker of requesters needs, in every group, users who asked (to predict) and users who did not (to learn from).</summary>
    private static void RequireBothSides(int[] groups, bool[] requested)
    {
        foreach (var group in Enumerable.Range(0, groups.Length).GroupBy(i => groups[i]).OrderBy(g => g.Key))
        {
            int asked = group.Count(i => requested[i]);
            if (asked == 0 || asked == group.Count())
                throw new ArgumentException($"unlearning.request_fraction leaves group {group.Key} of the balanced users with {asked} of {group.Count()} users asking: " +
                                            "the disclosed threat needs users who asked (to predict) and users who did not (to learn from) in every group");
        }
    }

    private static void Validate(float[] embeddings, int dim, int[] labels, int positiveLabel, AttackOptions options)
    {
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        if (embeddings.Length != labels.Length * dim)
            throw new ArgumentException($"embeddings has {embeddings.Length} values, expected {labels.Length} rows x {dim}.", nameof(embeddings));
        if (options.Folds < 2) throw new ArgumentException("Need at least 2 folds.", nameof(options));
        if (options.Repeats < 1) throw new ArgumentException("Need at least 1 repeat.", nameof(options));
        var sizes = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        if (!sizes.ContainsKey(positiveLabel))
            throw new ArgumentException($"No user has the positive label {positiveLabel}.", nameof(positiveLabel));
        if (sizes.Count < 2) throw new ArgumentException("Need at least two groups.", nameof(labels));
        if (sizes.Values.Min() < options.Folds)
            throw new ArgumentException($"The smallest group has {sizes.Values.Min()} users, fewer than {options.Folds} folds.", nameof(labels));
    }

    private static float[] Rows(float[] x, int dim, int[] rows)
    {
        var result = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++) Array.Copy(x, rows[i] * dim, result, i * dim, dim);
        return result;
    }

    /// <summary>Independent, reproducible seed per (seed, stream) via the SplitMix64 finaliser.</summary>
    internal static int DeriveSeed(int seed, int stream) => DerivedSeed.Of(seed, stream);
}
