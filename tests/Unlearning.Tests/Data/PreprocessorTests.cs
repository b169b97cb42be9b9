using Unlearning.Tests.Shared;
using Unlearning.Data;

namespace Unlearning.Tests.Data;

public class PreprocessorTests
{
    [Fact]
    public void Duplicates_collapse_and_keep_the_latest_timestamp()
    {
        using var dir = new TempFolder();
        // Pair (1, 5) occurs at 10 and at 30; item 6 at 20. Keeping the latest (30) makes 5 the test
        // positive; keeping the first occurrence would make it 6.
        var raw = TinyData.Read(dir, "1,5,10\n1,6,20\n1,5,30\n1,7,5\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        var (data, stats) = TinyData.Prepare(raw);

        Assert.Equal(raw.Count - 1, stats.UniquePairs);
        int u = TinyData.UserIndex(raw, "1");
        Assert.Equal(TinyData.ItemIndex(raw, "5"), data.TestItems[u]);
        Assert.Equal(new[] { TinyData.ItemIndex(raw, "6"), TinyData.ItemIndex(raw, "7") }.Order(), data.TrainItemsOf(u).ToArray());
    }

    [Fact]
    public void Among_equal_latest_timestamps_the_last_in_the_file_is_held_out()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir,
            "1,5,100\n1,7,100\n2,3,100\n1,3,100\n1,2,50\n2,7,100\n2,5,100\n2,2,50\n" + TinyData.Background(),
            "1,M\n2,F\n" + TinyData.BackgroundAttributes);
        var (data, stats) = TinyData.Prepare(raw);

        Assert.Equal(TinyData.ItemIndex(raw, "3"), data.TestItems[TinyData.UserIndex(raw, "1")]);
        Assert.Equal(TinyData.ItemIndex(raw, "5"), data.TestItems[TinyData.UserIndex(raw, "2")]);
        Assert.Equal(4, stats.UsersWithLatestTies); // users 1 and 2, and both background users (all at time 1)
    }

    [Fact]
    public void A_duplicate_moves_its_pair_to_the_position_of_the_kept_occurrence()
    {
        using var dir = new TempFolder();
        // 7 repeats at the same latest time after 3: the kept occurrence is the later one, so 7 is
        // now last in the file among the items at time 100.
        var raw = TinyData.Read(dir, "1,7,100\n1,3,100\n1,7,100\n1,2,50\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        var (data, _) = TinyData.Prepare(raw);
        Assert.Equal(TinyData.ItemIndex(raw, "7"), data.TestItems[TinyData.UserIndex(raw, "1")]);
    }

    [Fact]
    public void KCore_repeats_until_stable()
    {
        // k = 2. Pass 1 removes user 0 (one interaction); item 0 then has one interaction left and
        // goes in pass 2; user 1 then has one left and goes in pass 3; a single pass is not enough.
        // Item 1 keeps users 2 and 3 and survives.
        int[] users = [0, 1, 1, 2, 2, 3, 3, 2, 3];
        int[] items = [0, 0, 1, 1, 2, 1, 2, 3, 3];
        var userAlive = new bool[4];
        var itemAlive = new bool[4];
        Array.Fill(userAlive, true);
        Array.Fill(itemAlive, true);

        int passes = KCoreFilter.Run(users, items, userAlive, itemAlive, 2, 2);

        Assert.Equal([false, false, true, true], userAlive);
        Assert.Equal([false, true, true, true], itemAlive);
        Assert.True(passes >= 3, $"expected several passes, got {passes}");
        // The survivors form a 2-core.
        for (int u = 2; u < 4; u++)
            Assert.True(Enumerable.Range(0, users.Length).Count(k => users[k] == u && itemAlive[items[k]]) >= 2);
    }

    [Fact]
    public void KCore_uses_separate_user_and_item_thresholds()
    {
        int[] users = [0, 0, 0, 1, 1, 1];
        int[] items = [0, 1, 2, 0, 1, 3];
        var userAlive = new[] { true, true };
        var itemAlive = new[] { true, true, true, true };
        KCoreFilter.Run(users, items, userAlive, itemAlive, minUser: 2, minItem: 2);
        Assert.Equal([true, true], userAlive);
        Assert.Equal([true, true, false, false], itemAlive);
    }

    [Fact]
    public void Users_without_attribute_are_dropped()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n1,6,2\n2,5,1\n2,6,2\n3,5,1\n3,6,2\n" + TinyData.Background(),
            "1,M\n2,\n" + TinyData.BackgroundAttributes);
        var (data, stats) = TinyData.Prepare(raw);
        Assert.Equal(3, data.NumUsers); // 1, 900, 901
        Assert.Equal(2, stats.UsersWithoutAttribute); // 2 (empty value) and 3 (not listed)
    }

    [Fact]
    public void Groups_are_numbered_by_descending_size()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n2,5,1\n3,5,1\n4,5,1\n" + TinyData.Background(),
            "1,b\n2,b\n3,a\n4,c\n900,c\n901,a\n");
        var (data, _) = TinyData.Prepare(raw);
        // a: 2, c: 2, b: 2 -> equal sizes in ordinal order.
        Assert.Equal(["a", "b", "c"], data.GroupValues);
        Assert.Equal(data.NumGroups - 1, data.PositiveGroup);

        var raw2 = TinyData.Read(dir, "1,5,1\n2,5,1\n3,5,1\n" + TinyData.Background(), "1,F\n2,F\n3,F\n900,M\n901,F\n", "custom2");
        var (data2, _) = TinyData.Prepare(raw2);
        Assert.Equal(["F", "M"], data2.GroupValues);
        Assert.Equal([4, 1], data2.GroupSizes());
    }

    [Fact]
    public void Ids_are_reindexed_in_ascending_numeric_order_and_train_lists_are_sorted()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "10,30,1\n10,4,2\n9,30,1\n2,4,1\n" + TinyData.Background(), "10,M\n9,F\n2,M\n" + TinyData.BackgroundAttributes);
        var (data, _) = TinyData.Prepare(raw);
        // Users 2, 9, 10, 900, 901 -> 0..4; items 4 < 30 < 1000...
        Assert.Equal(5, data.NumUsers);
        Assert.Equal(0, data.TestItems[0]); // user 2: item 4
        Assert.Equal(1, data.TestItems[1]); // user 9: item 30
        Assert.Equal(0, data.TestItems[2]); // user 10: latest is item 4 (time 2)
        Assert.Equal([1], data.TrainItemsOf(2).ToArray());
        for (int u = 0; u < data.NumUsers; u++)
        {
            var train = data.TrainItemsOf(u).ToArray();
            Assert.Equal(train.Order(), train);
        }
    }

    [Fact]
    public void Text_ids_are_reindexed_in_ordinal_order()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "user,item\nu9,a\nu10,b\nu2,c\nu9,z\n" + TinyData.Background().Replace(",1\n", "\n"), "u9,M\nu10,F\nu2,M\n" + TinyData.BackgroundAttributes);
        var order = raw.UserIds.AscendingOrder().Select(raw.UserIds.KeyOf).ToArray();
        Assert.Equal(["900", "901", "u10", "u2", "u9"], order);
    }

    [Fact]
    public void Without_timestamps_a_seeded_random_interaction_is_held_out()
    {
        using var dir = new TempFolder();
        var lines = string.Concat(Enumerable.Range(0, 40).Select(i => $"1,{i}\n")) + string.Concat(Enumerable.Range(0, 40).Select(i => $"2,{i}\n"));
        var background = TinyData.Background().Replace(",1\n", "\n");
        var raw = TinyData.Read(dir, lines + background, "1,M\n2,F\n" + TinyData.BackgroundAttributes);
        Assert.Null(raw.Timestamps);

        var a = TinyData.Prepare(raw, seed: 1).Dataset;
        var b = TinyData.Prepare(raw, seed: 1).Dataset;
        Assert.Equal(a.TestItems, b.TestItems);
        var seeds = Enumerable.Range(2, 5).Select(s => TinyData.Prepare(raw, seed: s).Dataset.TestItems[0]).Append(a.TestItems[0]);
        Assert.True(seeds.Distinct().Count() > 1, "the held-out item should depend on the seed");
        for (int u = 0; u < a.NumUsers; u++)
            Assert.DoesNotContain(a.TestItems[u], a.TrainItemsOf(u).ToArray());
    }

    [Fact]
    public void Nothing_left_after_filtering_names_the_file()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n2,5,1\n" + TinyData.Background(), "1,M\n2,F\n" + TinyData.BackgroundAttributes);
        var e = Assert.Throws<DataFormatException>(() => TinyData.Prepare(raw, minInteractions: 500));
        Assert.EndsWith("interactions.csv", e.File);
        Assert.Null(e.Line);
        Assert.Equal("500", e.Value);
        Assert.Contains("no users left", e.Message);
    }

    [Fact]
    public void A_single_group_after_filtering_names_the_attribute_file_and_value()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n" + TinyData.Background(), "1,M\n900,M\n901,M\n");
        var e = Assert.Throws<DataFormatException>(() => TinyData.Prepare(raw));
        Assert.EndsWith("attributes.csv", e.File);
        Assert.Equal("M", e.Value);
        Assert.Contains("only one attribute group ('M')", e.Message);
    }

    [Fact]
    public void Too_few_unseen_items_for_the_negatives_is_reported()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n1,6,1\n2,5,1\n", "1,M\n2,F\n");
        var e = Assert.Throws<DataFormatException>(() => TinyData.Prepare(raw));
        Assert.Contains("test negatives cannot be drawn", e.Message);
        Assert.Equal("1", e.Value);
    }

    [Fact]
    public void Only_99_negatives_are_accepted()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,1\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Preprocessor.Run(raw, new DataOptions { MinInteractions = 1, NegativeCandidates = 50 }, "tiny"));
    }
}

/// <summary>data.validation_split: each user's second-latest interaction is held out for choosing the
/// epoch, with candidates of its own; neither held-out item is trained on or drawn as the other's negative.</summary>
public class ValidationSplitTests
{
    [Fact]
    public void The_second_latest_interaction_is_held_out_with_its_own_candidates()
    {
        using var dir = new TempFolder();
        // User 1: 5 at 40 (test), 6 at 30 (validation), 7 and 8 earlier (training).
        var raw = TinyData.Read(dir, "1,7,10\n1,5,40\n1,8,20\n1,6,30\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        var data = Preprocessor.Run(raw, new DataOptions { MinInteractions = 1, ValidationSplit = true }, "tiny").Dataset;
        int u = TinyData.UserIndex(raw, "1");
        int test = TinyData.ItemIndex(raw, "5"), validation = TinyData.ItemIndex(raw, "6");

        Assert.Equal(test, data.TestItems[u]);
        Assert.Equal(validation, data.ValidationItems![u]);
        Assert.Equal(new[] { TinyData.ItemIndex(raw, "7"), TinyData.ItemIndex(raw, "8") }.Order(), data.TrainItemsOf(u).ToArray());
        var testRow = data.CandidatesOf(u).ToArray();
        var validationRow = data.ValidationCandidates!.AsSpan(u * PreparedDataset.CandidatesPerUser, PreparedDataset.CandidatesPerUser).ToArray();
        Assert.Equal(test, testRow[0]);
        Assert.Equal(validation, validationRow[0]);
        foreach (var row in new[] { testRow, validationRow })
        {
            Assert.Equal(PreparedDataset.CandidatesPerUser, row.Distinct().Count());
            Assert.All(row.Skip(1), item => Assert.False(data.HasInteracted(u, item), $"item {item} was interacted with"));
        }
        Assert.True(data.HasInteracted(u, validation));

        // Off (the paper's protocol): the same split as always, no validation.
        var plain = Preprocessor.Run(raw, new DataOptions { MinInteractions = 1 }, "tiny").Dataset;
        Assert.Null(plain.ValidationItems);
        Assert.Equal(3, plain.TrainItemsOf(u).Length);
    }

    [Fact]
    public void A_user_with_two_interactions_is_named()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,5,40\n1,6,30\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        var e = Assert.Throws<DataFormatException>(() => Preprocessor.Run(raw, new DataOptions { MinInteractions = 1, ValidationSplit = true }, "tiny"));
        Assert.Contains("user '1' has 2 interactions: a validation split needs at least 3", e.Message);
    }

    [Fact]
    public void The_cache_keeps_the_validation_split()
    {
        using var dir = new TempFolder();
        var raw = TinyData.Read(dir, "1,7,10\n1,5,40\n1,8,20\n1,6,30\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes);
        var prepared = Preprocessor.Run(raw, new DataOptions { MinInteractions = 1, ValidationSplit = true }, "tiny", contentHash: "k");
        var data = prepared.Dataset;
        var path = Path.Combine(dir.Path, "cache.bin");
        DatasetCache.Write(path, data);
        var read = DatasetCache.TryRead(path, "k", out var problem);
        Assert.True(read is not null, problem);
        Assert.Equal(data.ValidationItems, read.ValidationItems);
        Assert.Equal(data.ValidationCandidates, read.ValidationCandidates);
        Assert.NotEqual(DataOptions.Default.KeyText(), new DataOptions { ValidationSplit = true }.KeyText());
    }
}
