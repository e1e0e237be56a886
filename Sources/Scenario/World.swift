/// The environment one scenario runs in. Steps share it in order; later step kinds keep fakes,
/// systems and stores here.
public actor World {
    /// The scenario's seed: everything random in the run derives from it.
    public let seed: UInt64
    public let scenario: String

    public init(seed: UInt64, scenario: String) {
        self.seed = seed
        self.scenario = scenario
    }

    private var counter: UInt64 = 0

    /// A fresh seed derived from the scenario seed, different for each call but the same across runs.
    public func nextSeed() -> UInt64 {
        counter += 1
        var z = seed &+ counter &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
