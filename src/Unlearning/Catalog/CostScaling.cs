namespace Unlearning.Catalog;

/// <summary>How a method's time grows with a dataset, for the cost model: training by training pairs,
/// U2U by users (its steps and its attack go over users), D2D by users^1.5 (its MMD is quadratic in
/// users, its attack linear).</summary>
public enum CostScaling { TrainingPairs, Users, UsersToThePowerOneAndAHalf }
