namespace Unlearning.Data;

/// <summary>Where the MovieLens releases differ: file names, separators and the attribute columns.</summary>
/// <param name="AgesAreCodes">ML-1M gives age codes (1, 18, 25, 35, 45, 50, 56); ML-100K gives ages in years.</param>
public sealed record MovieLensFormat(
    string RatingsFileName, string RatingsSeparator, string RatingsLayout,
    string UsersFileName, string UsersSeparator, string UsersLayout,
    int GenderColumn, int AgeColumn, int OccupationColumn, bool AgesAreCodes, int ExpectedRatings);
