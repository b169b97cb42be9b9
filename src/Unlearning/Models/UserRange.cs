namespace Unlearning.Models;

/// <summary>The users [first, first + count) of a <see cref="IRecommender.TopItems"/> call.</summary>
internal static class UserRange
{
    /// <summary>The end of the range (count null: to the last user); throws when it leaves [0, numUsers).</summary>
    public static long End(long first, long? count, long numUsers)
    {
        long end = count is { } c ? first + c : numUsers;
        if (first < 0 || end > numUsers || end < first) throw new ArgumentOutOfRangeException(nameof(count), $"users [{first}, {end}) of {numUsers}");
        return end;
    }
}
