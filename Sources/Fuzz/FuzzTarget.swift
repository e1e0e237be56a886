import Determinism

/// Something the fuzzer feeds: a parser, a file format or a fake's routes.
///
/// Cases come from a generator seeded by the campaign's seed, the target's name and the case's
/// index, so any case can be regenerated on its own. Targets that need running fakes start them
/// in `prepare` and stop them in `finish`.
public protocol FuzzTarget: AnyObject, Sendable {
    var name: String { get }
    func prepare() async throws
    func makeCase(index: Int, random: inout SeededRandom) -> FuzzCase
    func run(_ fuzzCase: FuzzCase) async -> FuzzOutcome
    func finish() async
}

extension FuzzTarget {
    public func prepare() async throws {}
    public func finish() async {}
}

/// The generator of case `index` of target `name` under `seed`: independent of every other case.
public func caseRandom(seed: UInt64, target: String, index: Int) -> SeededRandom {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the name
    for byte in target.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    var mixer = SeededRandom(seed: seed ^ hash ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    return SeededRandom(seed: mixer.next())
}
