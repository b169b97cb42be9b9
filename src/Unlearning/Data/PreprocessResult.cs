namespace Unlearning.Data;

public sealed record PreprocessResult(PreparedDataset Dataset, PreprocessStats Stats);
