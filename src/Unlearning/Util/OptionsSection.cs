using System.Reflection;

namespace Unlearning.Util;

/// <summary>A section of a cell's options (data, training, a model's, an attacker's): an immutable
/// record whose settable properties are settings by name. Copying with one property changed goes
/// through the record's own copy (<c>with</c>), whatever the section's type.</summary>
public abstract record OptionsSection
{
    /// <summary>A copy with <paramref name="property"/> (one of this record's) set to <paramref name="value"/>.</summary>
    public OptionsSection With(PropertyInfo property, object? value)
    {
        var copy = this with { };
        property.SetValue(copy, value);
        return copy;
    }
}
