namespace Unlearning.Data;

/// <summary>
/// protocol.md section 1, steps 1-5, deterministic for <see cref="DataOptions.Seed"/>:
/// <list type="number">
/// <item>every interaction is a positive; duplicate pairs keep the latest timestamp;</item>
/// <item>users without an attribute are dropped first, then the iterative k-core on users and
/// items (<b>decision</b>: dropping attribute-less users before the k-core keeps the result a
/// true k-core);</item>
/// <item>users and items are re-indexed 0.. in ascending raw id (numeric order when the ids are
/// numbers, otherwise ordinal text order) <b>(decision)</b>;</item>
/// <item>leave-one-out by latest timestamp, ties to the last in the raw file
/// (<see cref="LeaveOneOutSplitter"/>);</item>
/// <item>99 unseen test negatives per user (<see cref="CandidateSampler"/>).</item>
/// </list>
/// One <see cref="Random"/> seeded with <see cref="DataOptions.Seed"/> is owned by each call and
/// used in this order: random hold-outs (only without timestamps), then candidates user by user.
/// </summary>
public static class Preprocessor
{
    /// <summary>The steps above, in order; the seeded generator passes from the hold-outs to the candidates.</summary>
    public static PreprocessResult Run(RawDataset raw, DataOptions options, string name, string contentHash = "")
    {
        options.Validate();
        int minUser = options.UserThreshold, minItem = options.ItemThreshold;
        var unique = PairDeduplicator.Run(raw);
        var kept = KeepUsersAndItems(raw, unique, minUser, minItem);
        var lists = UserLists(raw, unique, kept);
        var rng = new Random(options.Seed);
        var split = HoldOutTestAndValidation(raw, lists, options.ValidationSplit, rng);
        var (candidates, validationCandidates) = SampleCandidates(raw, lists, split, options.NegativeCandidates, rng);
        var (userGroup, groupValues) = AssignGroups(raw, lists);

        var dataset = new PreparedDataset
        {
            Name = name,
            NumUsers = lists.NumUsers,
            NumItems = lists.NumItems,
            TrainOffsets = split.TrainOffsets,
            TrainItems = split.TrainItems,
            TestItems = split.TestItems,
            TestCandidates = candidates,
            ValidationItems = split.ValidationItems,
            ValidationCandidates = validationCandidates,
            UserGroup = userGroup,
            GroupValues = groupValues,
            ContentHash = contentHash,
        };
        var stats = new PreprocessStats
        {
            RawInteractions = raw.Count,
            RawUsers = raw.CountInteractingUsers(),
            RawItems = raw.CountInteractedItems(),
            UniquePairs = unique.Count,
            UsersWithoutAttribute = kept.WithoutAttribute,
            KCorePasses = kept.Passes,
            MinUserInteractions = minUser,
            MinItemInteractions = minItem,
            Users = lists.NumUsers,
            Items = lists.NumItems,
            Interactions = lists.Items.Length,
            TrainPairs = split.TrainItems.Length,
            HasTimestamps = raw.Timestamps is not null,
            UsersWithLatestTies = split.Tied,
            GroupSizes = dataset.GroupSizes(),
            GroupValues = groupValues,
        };
        return new PreprocessResult(dataset, stats);
    }

    /// <summary>Which raw users and items are kept: users with an attribute, then the k-core.</summary>
    private sealed record Kept(bool[] UserAlive, bool[] ItemAlive, int WithoutAttribute, int Passes);

    /// <summary>Each kept user's interactions, items ascending, with their raw positions, in CSR form;
    /// and the maps from raw to new ids.</summary>
    private sealed record Lists(int[] Offsets, int[] Items, int[] Positions, int[] UserMap, int[] RawUserOf, int NumUsers, int NumItems);

    /// <summary>The test (and validation) hold-outs and what remains for training.</summary>
    private sealed record Split(int[] TestItems, int[] TrainOffsets, int[] TrainItems, int[]? ValidationItems, int Tied);

    private static Kept KeepUsersAndItems(RawDataset raw, UniquePairs unique, int minUser, int minItem)
    {
        var userAlive = new bool[raw.UserIds.Count];
        var itemAlive = new bool[raw.ItemIds.Count];
        Array.Fill(itemAlive, true);
        var interacting = new bool[raw.UserIds.Count];
        foreach (var u in unique.Users) interacting[u] = true;
        int withoutAttribute = 0;
        for (int u = 0; u < userAlive.Length; u++)
        {
            userAlive[u] = raw.UserAttributes[u] is not null;
            if (interacting[u] && !userAlive[u]) withoutAttribute++;
        }
        int passes = KCoreFilter.Run(unique.Users, unique.Items, userAlive, itemAlive, minUser, minItem);
        if (!userAlive.Any(a => a))
            throw new DataFormatException(raw.InteractionsFile, null, $"{minUser}",
                $"no users left after filtering (users need >= {minUser} interactions, items >= {minItem}, and an attribute; " +
                $"{unique.Count:N0} unique pairs, {withoutAttribute:N0} interacting users without attribute)");
        return new Kept(userAlive, itemAlive, withoutAttribute, passes);
    }

    private static Lists UserLists(RawDataset raw, UniquePairs unique, Kept kept)
    {
        var (userAlive, itemAlive) = (kept.UserAlive, kept.ItemAlive);
        var userMap = Reindex(raw.UserIds, userAlive, out var numUsers);
        var itemMap = Reindex(raw.ItemIds, itemAlive, out var numItems);
        var offsets = new int[numUsers + 1];
        for (int k = 0; k < unique.Count; k++)
            if (userAlive[unique.Users[k]] && itemAlive[unique.Items[k]]) offsets[userMap[unique.Users[k]] + 1]++;
        for (int u = 0; u < numUsers; u++) offsets[u + 1] += offsets[u];
        int total = offsets[numUsers];
        var items = new int[total];
        var positions = new int[total];
        var fill = offsets[..^1];
        for (int k = 0; k < unique.Count; k++)
        {
            int ru = unique.Users[k], ri = unique.Items[k];
            if (!userAlive[ru] || !itemAlive[ri]) continue;
            int slot = fill[userMap[ru]]++;
            items[slot] = itemMap[ri];
            positions[slot] = unique.Positions[k];
        }
        for (int u = 0; u < numUsers; u++)
            Array.Sort(items, positions, offsets[u], offsets[u + 1] - offsets[u]);
        var rawUserOf = new int[numUsers];
        for (int ru = 0; ru < userMap.Length; ru++)
            if (userMap[ru] >= 0) rawUserOf[userMap[ru]] = ru;
        return new Lists(offsets, items, positions, userMap, rawUserOf, numUsers, numItems);
    }

    /// <summary>Leave-one-out: each user's latest interaction is its test item; with a validation split,
    /// the latest of what remains, by the same rule, its validation item.</summary>
    private static Split HoldOutTestAndValidation(RawDataset raw, Lists lists, bool validationSplit, Random rng)
    {
        var (testIndex, tied) = LeaveOneOutSplitter.Split(lists.Offsets, lists.Items, lists.Positions, raw.Timestamps, rng);
        var (testItems, trainOffsets, trainItems, trainPositions) = HoldOut(lists.Offsets, lists.Items, lists.Positions, testIndex);
        int[]? validationItems = null;
        if (validationSplit)
        {
            for (int u = 0; u < lists.NumUsers; u++)
                if (trainOffsets[u + 1] - trainOffsets[u] < 2)
                    throw new DataFormatException(raw.InteractionsFile, null, UserId(raw, lists, u),
                        $"user '{UserId(raw, lists, u)}' has {trainOffsets[u + 1] - trainOffsets[u] + 1} interactions: a validation split needs at least 3 " +
                        "(raise data.min_interactions)");
            var (validationIndex, _) = LeaveOneOutSplitter.Split(trainOffsets, trainItems, trainPositions, raw.Timestamps, rng);
            (validationItems, trainOffsets, trainItems, _) = HoldOut(trainOffsets, trainItems, trainPositions, validationIndex);
        }
        return new Split(testItems, trainOffsets, trainItems, validationItems, tied);
    }

    /// <summary>Each user's unseen negatives for the test item, then for the validation item.</summary>
    private static (int[] Test, int[]? Validation) SampleCandidates(RawDataset raw, Lists lists, Split split, int negatives, Random rng)
    {
        Exception NotEnough(int u, int available, string which) => new DataFormatException(raw.InteractionsFile, null, UserId(raw, lists, u),
            $"user '{UserId(raw, lists, u)}' has only {available} unseen items out of {lists.NumItems}; " +
            $"{negatives} {which} negatives cannot be drawn");
        var test = CandidateSampler.Sample(lists.NumItems, split.TrainOffsets, split.TrainItems, split.TestItems, negatives, rng,
            (u, available) => NotEnough(u, available, "test"), alsoSeen: split.ValidationItems);
        var validation = split.ValidationItems is null ? null
            : CandidateSampler.Sample(lists.NumItems, split.TrainOffsets, split.TrainItems, split.ValidationItems, negatives, rng,
                (u, available) => NotEnough(u, available, "validation"), alsoSeen: split.TestItems);
        return (test, validation);
    }

    /// <summary>Each kept user's attribute value as a group id (<see cref="GroupAssigner"/>); at least two groups.</summary>
    private static (int[] Group, string[] Values) AssignGroups(RawDataset raw, Lists lists)
    {
        var values = new string[lists.NumUsers];
        for (int u = 0; u < lists.NumUsers; u++) values[u] = raw.UserAttributes[lists.RawUserOf[u]]!;
        var (userGroup, groupValues) = GroupAssigner.Assign(values);
        if (groupValues.Length < 2)
            throw new DataFormatException(raw.AttributesFile, null, groupValues[0],
                $"only one attribute group ('{groupValues[0]}') left after filtering; at least 2 are needed");
        return (userGroup, groupValues);
    }

    private static string UserId(RawDataset raw, Lists lists, int user) => raw.UserIds.KeyOf(lists.RawUserOf[user]);

    /// <summary>Takes each user's interaction at <paramref name="heldOut"/> out of the CSR lists: the
    /// held-out items, and what remains (offsets, items, raw positions).</summary>
    private static (int[] HeldOut, int[] Offsets, int[] Items, int[] Positions) HoldOut(int[] offsets, int[] items, int[] positions, int[] heldOut)
    {
        int numUsers = offsets.Length - 1;
        var held = new int[numUsers];
        var restOffsets = new int[numUsers + 1];
        var restItems = new int[items.Length - numUsers];
        var restPositions = new int[items.Length - numUsers];
        for (int u = 0, t = 0; u < numUsers; u++)
        {
            held[u] = items[heldOut[u]];
            for (int k = offsets[u]; k < offsets[u + 1]; k++)
                if (k != heldOut[u]) (restItems[t], restPositions[t++]) = (items[k], positions[k]);
            restOffsets[u + 1] = t;
        }
        return (held, restOffsets, restItems, restPositions);
    }

    /// <summary>Dense raw index -> new contiguous id in ascending raw-id order, -1 when dropped.</summary>
    private static int[] Reindex(RawIdTable ids, bool[] alive, out int count)
    {
        var map = new int[ids.Count];
        Array.Fill(map, -1);
        count = 0;
        foreach (var raw in ids.AscendingOrder())
            if (alive[raw]) map[raw] = count++;
        return map;
    }
}
