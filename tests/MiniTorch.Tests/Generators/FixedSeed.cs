using FsCheck.Xunit;

namespace MiniTorch.Tests.Generators;

/// <summary>
/// Assembly-wide FsCheck settings for every <c>[Property]</c>: a fixed <c>Replay</c> seed, so a green
/// run stays green and a failure is reproducible, and the default Arbitrary classes of the test
/// generators. A <c>[Property]</c> names only what differs: <c>MaxTest</c> and, for another profile of
/// a case type, <c>Arbitrary</c>. On failure FsCheck prints the seed it ran with, e.g.
/// <c>Falsifiable, after 3 tests (0 shrinks) (16438,11400714819323198485)</c>, and a
/// <c>Replay directly at failing step with (s,g,size)</c> to paste into <c>[Property(Replay = "…")]</c>.
/// </summary>
/// <remarks>
/// <para><c>MINITORCH_PROPERTY_SEED</c> chooses the seed: unset or empty, <see cref="DefaultSeed"/>
/// (what CI runs); <c>random</c>, a fresh seed per property (for exploration; FsCheck prints each
/// failing seed); <c>seed,gamma</c>, that seed for every property, e.g. to replay a failure seen
/// with <c>random</c>:</para>
/// <code>MINITORCH_PROPERTY_SEED=random dotnet test MiniTorch.sln -c Release</code>
/// <para>A test assembly applies it once, naming its default Arbitrary classes:
/// <c>[assembly: FixedSeedProperties(typeof(TensorArbitraries), …)]</c>; other test projects link
/// this file to share the settings (see their csproj files).</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class FixedSeedPropertiesAttribute : PropertiesAttribute
{
    /// <summary>The environment variable that overrides the seed.</summary>
    public const string Variable = "MINITORCH_PROPERTY_SEED";

    /// <summary>The Replay seed CI runs with: FsCheck's (seed, gamma) of its SplitMix generator (gamma odd).</summary>
    public const string DefaultSeed = "(16438,11400714819323198485)";

    /// <summary>Sets <c>Replay</c> from <see cref="Variable"/> and registers <paramref name="arbitraries"/> as the assembly's defaults.</summary>
    /// <param name="arbitraries">Classes whose static members return <c>Arbitrary&lt;T&gt;</c>; a <c>[Property(Arbitrary = …)]</c> overrides them per test.</param>
    public FixedSeedPropertiesAttribute(params Type[] arbitraries)
    {
        Replay = SeedFrom(Environment.GetEnvironmentVariable(Variable));
        Arbitrary = arbitraries;
    }

    /// <summary>The Replay string for an environment value: the default, none (fresh seeds) for "random", or the value itself.</summary>
    public static string? SeedFrom(string? value) => value?.Trim() switch
    {
        null or "" => DefaultSeed,
        "random" => null,
        var seed => seed,
    };
}
