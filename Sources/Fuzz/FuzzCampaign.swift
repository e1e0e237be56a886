import Chrono

/// Runs fuzz targets in turn with one seed, for a number of cases each or until a deadline, and
/// tallies what they found. Crashes cannot be seen from inside the process they kill: the
/// `provsim fuzz` supervisor runs a campaign in a worker process and counts those.
public struct FuzzCampaign: Sendable {
    public let targets: [any FuzzTarget]
    public let seed: UInt64
    /// A case slower than this counts as a hang (it did finish, but nothing should take so long).
    public var hangSeconds: Double = 30

    public init(targets: [any FuzzTarget], seed: UInt64) {
        self.targets = targets
        self.seed = seed
    }

    /// What a campaign saw: totals, and the findings themselves (up to `findingLimit`).
    public struct Report: Sendable {
        public var inputs = 0
        public var serverErrors = 0
        public var malformed = 0
        public var hangs = 0
        public var inputsByTarget: [String: Int] = [:]
        public var findings: [Finding] = []

        public var isClean: Bool { serverErrors == 0 && malformed == 0 && hangs == 0 }

        /// `fuzz: N inputs, C crashes, E 5xx, H hangs` (crashes are the supervisor's to add).
        public func line(crashes: Int) -> String {
            "fuzz: \(inputs) inputs, \(crashes) crashes, \(serverErrors) 5xx, \(hangs) hangs" + (malformed > 0 ? ", \(malformed) malformed answers" : "")
        }
    }

    public struct Finding: Sendable {
        public let fuzzCase: FuzzCase
        public let outcome: FuzzOutcome
        public let seconds: Double

        public var description: String {
            let what: String
            switch outcome {
            case .handled: what = "slow (\(Int(seconds)) s)"
            case .serverError(let status, let detail): what = "\(status): \(detail)"
            case .malformed(let detail): what = "malformed: \(detail)"
            case .hang(let detail): what = "hang: \(detail)"
            }
            return "\(fuzzCase.target) #\(fuzzCase.index): \(what)\n    input: \(fuzzCase.summary)"
        }
    }

    public static let findingLimit = 50

    /// Runs `cases` cases of every target, starting at `firstIndex`.
    public func run(cases: Int, firstIndex: Int = 0, observe: @Sendable (FuzzCase) -> Void = { _ in }) async throws -> Report {
        try await run(observe: observe) { _, index in index < firstIndex + cases ? index : nil }
    }

    /// Runs targets round-robin until `seconds` of wall time have passed.
    public func run(seconds: Double, firstIndex: Int = 0, observe: @Sendable (FuzzCase) -> Void = { _ in }) async throws -> Report {
        let deadline = ContinuousClock.now + .nanoseconds(Int64(max(0, min(seconds, 31_536_000)) * 1e9))
        return try await run(observe: observe) { _, index in ContinuousClock.now < deadline ? index : nil }
    }

    /// The loop: `next(round, index)` says whether to go on.
    private func run(observe: @Sendable (FuzzCase) -> Void, next: (Int, Int) -> Int?) async throws -> Report {
        var report = Report()
        var prepared: [any FuzzTarget] = []
        do {
            for target in targets {
                try await target.prepare()
                prepared.append(target)
            }
        } catch {
            for target in prepared { await target.finish() }
            throw error
        }
        var index = 0
        var round = 0
        while let current = next(round, index) {
            for target in targets {
                var random = caseRandom(seed: seed, target: target.name, index: current)
                let fuzzCase = target.makeCase(index: current, random: &random)
                observe(fuzzCase)
                let started = ContinuousClock.now
                let outcome = await target.run(fuzzCase)
                let seconds = (ContinuousClock.now - started).inSeconds
                record(outcome, seconds: seconds, fuzzCase, into: &report)
            }
            index = current + 1
            round += 1
        }
        for target in targets { await target.finish() }
        return report
    }

    private func record(_ outcome: FuzzOutcome, seconds: Double, _ fuzzCase: FuzzCase, into report: inout Report) {
        report.inputs += 1
        report.inputsByTarget[fuzzCase.target, default: 0] += 1
        var finding = true
        switch outcome {
        case .handled: finding = seconds > hangSeconds; if finding { report.hangs += 1 }
        case .serverError: report.serverErrors += 1
        case .malformed: report.malformed += 1
        case .hang: report.hangs += 1
        }
        if finding, report.findings.count < Self.findingLimit {
            report.findings.append(Finding(fuzzCase: fuzzCase, outcome: outcome, seconds: seconds))
        }
    }

    /// Regenerates one case (to reproduce a finding).
    public func makeCase(target name: String, index: Int) -> FuzzCase? {
        guard let target = targets.first(where: { $0.name == name }) else { return nil }
        var random = caseRandom(seed: seed, target: name, index: index)
        return target.makeCase(index: index, random: &random)
    }
}
