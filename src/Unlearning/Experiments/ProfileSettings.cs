using System.Globalization;
using System.Reflection;
using System.Text;
using Unlearning.Util;

namespace Unlearning.Experiments;

/// <summary>
/// The protocol's numbers by name, for changing them from a named profile: "section.key=value", the
/// section an options record of <see cref="ExperimentProfile"/> (data, training, unlearning, ncf,
/// lightgcn, attack, mlp_attacker, tree_attacker), the key its property in snake case
/// (training.epochs, unlearning.trade_off). A profile with settings is written as one expression,
/// "paper;training.epochs=50;unlearning.trade_off=0.0001": keys sorted, values in one canonical form,
/// settings equal to the base profile's dropped, so one experiment has one name, one cell id and one
/// config hash wherever it was written down.
/// </summary>
public static class ProfileSettings
{
    public const char Separator = ';';

    /// <summary>A section of settings: the engine's own (data, training, unlearning, attack) and those the
    /// catalog's models and attackers bring (ncf, lightgcn, mlp_attacker, tree_attacker, ...).</summary>
    private sealed record Section(string Name, Type Type, Func<ExperimentProfile, OptionsSection> Get, Func<ExperimentProfile, OptionsSection, ExperimentProfile> Set);

    private static readonly Section[] Sections =
    [
        new("data", typeof(Data.DataOptions), p => p.Data, (p, s) => p with { Data = (Data.DataOptions)s }),
        new("training", typeof(Training.TrainingOptions), p => p.Training, (p, s) => p with { Training = (Training.TrainingOptions)s }),
        new("unlearning", typeof(Training.UnlearningOptions), p => p.Unlearning, (p, s) => p with { Unlearning = (Training.UnlearningOptions)s }),
        new("attack", typeof(Attack.AttackOptions), p => p.Attack, (p, s) => p with { Attack = (Attack.AttackOptions)s }),
        .. Catalog.Registry.DefaultSections.Select(kv => new Section(kv.Key, kv.Value.GetType(), p => p.Section(kv.Key), (p, s) => p.WithSection(kv.Key, s))),
    ];

    /// <summary>Properties that a setting would not change: the attack's seed is the cell's seed,
    /// and the generator's settings are a record of their own.</summary>
    private static readonly HashSet<string> NotSettable = ["attack.seed", "data.synthetic"];

    /// <summary>Names used by the public reference implementation's config file.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["unlearning.au_trade_off"] = "unlearning.trade_off",
    };

    /// <summary>Settings whose smallest allowed value is not the default rule's (whole numbers at
    /// least 1, learning rates above 0, other numbers at least 0).</summary>
    private static readonly Dictionary<string, double> Minimum = new(StringComparer.Ordinal)
    {
        ["training.negatives"] = 0, ["data.seed"] = 0, ["lightgcn.layers"] = 0,
    };

    /// <summary>Numbers with a range of their own, checked where the profile is read: the test and what it asks for.</summary>
    private static readonly Dictionary<string, (Func<double, bool> Holds, string What)> Ranges = new(StringComparer.Ordinal)
    {
        ["unlearning.request_fraction"] = (f => f > 0 && f <= 1, "a number above 0 and at most 1 (1: every user asks, the paper's setting)"),
        ["unlearning.term_sample"] = (f => f > 0 && f <= 1, "a number above 0 and at most 1 (1: every row, the paper's setting)"),
        ["attack.disclosed_fraction"] = (f => f > 0 && f < 1, "a number above 0 and below 1"),
    };

    /// <summary>Settings that name one of a few choices (checked where the profile is read, before any work).</summary>
    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["unlearning.target"] = Training.UnlearningTarget.All,
    };

    private sealed record Setting(string Key, Section Section, PropertyInfo Property);

    private static readonly Dictionary<string, Setting> All = Sections
        .SelectMany(s => s.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && IsScalar(p.PropertyType))
            .Select(p => new Setting($"{s.Name}.{SnakeCase(p.Name)}", s, p)))
        .Where(s => !NotSettable.Contains(s.Key))
        .ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>Every key, sorted.</summary>
    public static IReadOnlyList<string> Keys { get; } = All.Keys.Order(StringComparer.Ordinal).ToList();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ExperimentProfile> Resolved = new(StringComparer.Ordinal);

    /// <summary>The profile an expression names: its base profile with its settings applied. Resolved
    /// once per expression (profiles are immutable): planners and reports ask for it per cell.</summary>
    public static ExperimentProfile Resolve(string expression) => Resolved.GetOrAdd(expression, ResolveOnce);

    private static ExperimentProfile ResolveOnce(string expression)
    {
        var (name, settings) = Parse(expression);
        var profile = ExperimentProfile.Named(name);
        foreach (var (setting, value) in settings) profile = With(profile, setting, value);
        return profile with { Name = Canonical(name, profile) };
    }

    /// <summary>The canonical expression of a base profile with settings (later ones win), each
    /// "key=value"; throws an <see cref="ArgumentException"/> naming a bad key or value.</summary>
    public static string Compose(string baseProfile, IEnumerable<string> settings) =>
        Resolve(string.Join(Separator, [baseProfile, .. settings])).Name;

    /// <summary>The settings of an experiment file: a JSON object of the same keys
    /// (<c>{"training.epochs": 50, "ncf.mlp_layers": [64, 32, 16]}</c>), checked against the keys;
    /// errors name the file (and the line of a JSON error).</summary>
    public static IReadOnlyList<string> FromFile(string path)
    {
        var settings = new List<string>();
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                throw new ArgumentException($"{path}: an experiment file is a JSON object of settings, for example {{\"training.epochs\": 50}}");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                string text = value.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.String => value.GetString()!,
                    System.Text.Json.JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.GetRawText())),
                    System.Text.Json.JsonValueKind.Null => "null",
                    _ => value.GetRawText(),
                };
                settings.Add($"{property.Name}={text}");
            }
            RequireDistinctKeys(settings, "the file");
            Compose("paper", settings);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"{path}: not JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
        return settings;
    }

    /// <summary>The expression of the original model a u2u / d2d cell starts from: without the
    /// unlearning settings, which the original does not use, so that cells that differ only in them
    /// share one original.</summary>
    public static string ForOriginal(string expression)
    {
        if (!expression.Contains(Separator + "unlearning.", StringComparison.Ordinal)) return expression;
        var (name, settings) = Parse(expression);
        return Compose(name, settings.Where(s => !s.Setting.Key.StartsWith("unlearning.", StringComparison.Ordinal)).Select(s => $"{s.Setting.Key}={s.Value}"));
    }

    /// <summary>The value a profile expression gives a key, in the canonical form ("1E-06").</summary>
    public static string ValueOf(string expression, string key) =>
        All.TryGetValue(key, out var setting) ? Format(Read(Resolve(expression), setting))
        : throw new ArgumentException($"unknown setting '{key}'");

    /// <summary>An expression's settings without their sections, for narrow places (a table column, a
    /// plot title): "trade_off=1 epochs=3"; the base profile's name where it has none.</summary>
    public static string Short(string expression)
    {
        var settings = expression.Split(Separator).Skip(1).Select(s => s[(s.IndexOf('.') + 1)..]).ToList();
        return settings.Count == 0 ? expression : string.Join(" ", settings);
    }

    /// <summary>The canonical key a setting's name stands for (lower case, aliases resolved); throws
    /// listing the valid keys for an unknown one.</summary>
    public static string KeyOf(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        key = Aliases.GetValueOrDefault(key, key);
        return All.ContainsKey(key) ? key : throw new ArgumentException($"unknown setting '{name.Trim()}' (valid: {string.Join(", ", Keys)})");
    }

    /// <summary>Throws naming the key that two of "key=value" <paramref name="settings"/> both set
    /// (aliases count as their key): one source of settings must not silently override itself.</summary>
    public static void RequireDistinctKeys(IEnumerable<string> settings, string source)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            int equals = setting.IndexOf('=');
            if (equals <= 0) continue; // Compose names a setting that is not key=value
            var key = KeyOf(setting[..equals]);
            if (seen.TryGetValue(key, out var first))
                throw new ArgumentException($"{source} sets {key} twice ('{first}' and '{setting.Trim()}'); give it once");
            seen[key] = setting.Trim();
        }
    }

    /// <summary>The keys an expression sets beyond its base profile.</summary>
    public static IReadOnlyList<string> KeysOf(string expression) => Parse(expression).Settings.Select(s => s.Setting.Key).ToList();

    /// <summary>Each setting whose value differs from the paper profile's: "training.epochs=5 (paper 25)".</summary>
    public static IReadOnlyList<string> DifferencesFromPaper(ExperimentProfile profile)
    {
        var paper = ExperimentProfile.Named("paper");
        return Keys.Select(k => All[k])
            .Select(s => (s.Key, Value: Format(Read(profile, s)), Paper: Format(Read(paper, s))))
            .Where(d => d.Value != d.Paper)
            .Select(d => $"{d.Key}={d.Value} (paper {d.Paper})")
            .ToList();
    }

    private static (string Name, List<(Setting Setting, string Value)> Settings) Parse(string expression)
    {
        var parts = expression.Split(Separator, StringSplitOptions.TrimEntries);
        var name = parts[0].ToLowerInvariant();
        var settings = new List<(Setting, string)>();
        foreach (var part in parts.Skip(1).Where(p => p.Length > 0))
        {
            int equals = part.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"setting '{part}' is not key=value (for example training.epochs=50)");
            settings.Add((All[KeyOf(part[..equals])], part[(equals + 1)..].Trim()));
        }
        return (name, settings);
    }

    private static string Canonical(string name, ExperimentProfile profile)
    {
        var named = ExperimentProfile.Named(name);
        var sb = new StringBuilder(name);
        foreach (var setting in Keys.Select(k => All[k]))
        {
            string value = Format(Read(profile, setting));
            if (value != Format(Read(named, setting))) sb.Append(Separator).Append(setting.Key).Append('=').Append(value);
        }
        return sb.ToString();
    }

    private static object? Read(ExperimentProfile profile, Setting setting) => setting.Property.GetValue(setting.Section.Get(profile));

    /// <summary>The value a profile gives a setting (typed: int, double, bool, string, int[] or null).</summary>
    public static object? Read(ExperimentProfile profile, string key) =>
        All.TryGetValue(key, out var setting) ? Read(profile, setting) : throw new ArgumentException($"unknown setting '{key}'");

    private static ExperimentProfile With(ExperimentProfile profile, Setting setting, string text) =>
        setting.Section.Set(profile, setting.Section.Get(profile).With(setting.Property, ParseValue(setting, text)));

    private static object? ParseValue(Setting setting, string text)
    {
        var type = setting.Property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(type);
        if ((underlying is not null || type == typeof(string)) && text.ToLowerInvariant() is "null" or "none" or "default") return null;
        var target = underlying ?? type;
        ArgumentException Bad(string what) => new($"setting {setting.Key} needs {what}, not '{text}'");
        bool isRate = setting.Key.EndsWith("learning_rate", StringComparison.Ordinal);
        if (target == typeof(int))
        {
            double minimum = Minimum.GetValueOrDefault(setting.Key, 1);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) throw Bad("a whole number");
            if (n < minimum) throw Bad($"a whole number of at least {minimum}");
            return n;
        }
        if (target == typeof(double))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) throw Bad("a number");
            if (Ranges.TryGetValue(setting.Key, out var range)) return range.Holds(d) ? d : throw Bad(range.What);
            if (isRate ? !(d > 0) : d < Minimum.GetValueOrDefault(setting.Key, 0)) throw Bad(isRate ? "a number above 0" : "a number of at least 0");
            return d;
        }
        if (target == typeof(bool))
            return bool.TryParse(text, out var b) ? b : throw Bad("true or false");
        if (target == typeof(int[]))
        {
            var items = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new int[items.Length];
            for (int i = 0; i < items.Length; i++)
                if (!int.TryParse(items[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                    throw Bad("whole numbers of at least 1, separated by commas");
            return values;
        }
        if (Choices.TryGetValue(setting.Key, out var choices))
            return choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase)) ?? throw Bad($"one of {string.Join(", ", choices)}");
        return text;
    }

    private static bool IsScalar(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(double) || t == typeof(bool) || t == typeof(string) || t == typeof(int[]));

    /// <summary>A setting's value in its one canonical text ("1E-06", "true", "128,64,32", "null").</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        int[] a => string.Join(",", a),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
