namespace Unlearning.Attack;

/// <summary>
/// An attacker that predicts one class for every user of a test fold has learned nothing its
/// accuracy, precision and recall could show (on balanced classes: accuracy 1/k, recall 1 or 0, or
/// 1/k averaged over k groups), yet those numbers look like results. The evaluator counts such
/// folds (<see cref="AttackReport.SingleClassFolds"/>) and every table flags the attacker.
/// </summary>
public static class DegenerateAttacker
{
    /// <summary>A binary fold's predictions (score above the threshold: positive) are all one class.</summary>
    public static bool OneClass(double[] scorePositive, double threshold = 0.5) =>
        scorePositive.Length > 0 && (scorePositive.All(s => s > threshold) || scorePositive.All(s => !(s > threshold)));

    /// <summary>A multi-class fold's most probable groups (row-major probabilities) are all the same group.</summary>
    public static bool OneClass(double[] probabilities, int groups)
    {
        int rows = probabilities.Length / groups, first = -1;
        for (int i = 0; i < rows; i++)
        {
            int best = 0;
            for (int j = 1; j < groups; j++)
                if (probabilities[i * groups + j] > probabilities[i * groups + best]) best = j;
            if (first < 0) first = best;
            else if (best != first) return false;
        }
        return rows > 0;
    }

    /// <summary>What a table says of an attacker that predicted one class in some fold, or null.
    /// Results stored before the folds were counted (<paramref name="singleClassFolds"/> null) are
    /// judged by their binary metrics: accuracy exactly 0.5 with recall exactly 0 or 1.</summary>
    public static string? Note(int? singleClassFolds, int folds, ClassificationMetrics mean)
    {
        if (singleClassFolds is { } n)
            return n == 0 ? null : $"predicted one class for every user in {n} of {folds} folds";
        bool binary = mean.GroupAuc is null;
        return binary && mean.Accuracy == 0.5 && mean.Recall is 0 or 1
            ? $"predicted one class for every user (accuracy 0.5, recall {mean.Recall:0})"
            : null;
    }

    /// <summary>The sentence below a table that flags degenerate attackers.</summary>
    public const string Meaning = "in such a fold the attacker learned nothing that its accuracy, precision and recall could show: they measure " +
                                  "the class balance, not leakage; its AUC still ranks the users, and a stronger attacker " +
                                  "(for example --set mlp_attacker.alpha=0.0001) may find what it missed";
}
