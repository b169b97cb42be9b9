using Unlearning.Data;

namespace Unlearning.Attack;

/// <summary>
/// Each user's private attribute as the attackers see it: a group id per user (group 0 the largest,
/// numbered by descending size, as in <see cref="PreparedDataset.UserGroup"/>) and the raw value of
/// each group. Stored beside a cell's embeddings as a text file of one value per line, in row order,
/// so that the attackers and the plots need neither the dataset nor the silo that ran the cell.
/// </summary>
public sealed record UserLabels(int[] Group, string[] Values)
{
    /// <summary>Where the labels came from, for messages: the file, or the dataset.</summary>
    public string Source { get; init; } = "the dataset's users";

    /// <summary>The positive class of precision / recall: the smallest group (protocol.md section 6).</summary>
    public int Positive => Values.Length - 1;

    public int Count => Group.Length;

    /// <summary>Per user, whether they asked for their attribute to be forgotten (<c>unlearning.request_fraction</c>
    /// below 1, <see cref="Training.UnlearningRequests"/>); null: everyone did, as in the paper.</summary>
    public bool[]? Requested { get; init; }

    public static UserLabels Of(PreparedDataset data) => new(data.UserGroup, data.GroupValues);

    public static UserLabels FromValues(string[] userValues)
    {
        var (group, values) = GroupAssigner.Assign(userValues);
        return new UserLabels(group, values);
    }

    public void Write(string path) => File.WriteAllLines(path, Group.Select(g => Values[g]));

    /// <summary>Reads one attribute value per line (blank lines are skipped); a file with fewer than
    /// two distinct values is an error naming it.</summary>
    public static UserLabels Read(string path)
    {
        var values = new List<string>();
        using (var lines = DelimitedLines.Open(path))
        {
            while (lines.Next())
                values.Add(lines.Current.Trim());
            lines.RequireData();
        }
        var labels = FromValues(values.ToArray()) with { Source = path };
        if (labels.Values.Length < 2)
            throw new DataFormatException(path, null, labels.Values[0], $"every user has the value '{labels.Values[0]}': an attack needs at least two groups");
        return labels;
    }

    /// <summary>Throws unless there is one label per row of <paramref name="rows"/> rows from <paramref name="what"/>.</summary>
    public void RequireRows(int rows, string what)
    {
        if (rows != Count)
            throw new ArgumentException($"{what} has {rows:N0} rows but there are {Count:N0} labels in {Source}: they must be the same users in the same order");
    }
}
