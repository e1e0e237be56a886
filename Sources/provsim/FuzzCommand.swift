import ArgumentParser
import Foundation
import Fuzz
import Synchronization

struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz every parser, file format, fake route and command for a while, and count what breaks.",
        discussion: """
        Runs the fuzz targets round-robin for --seconds, in a worker process it supervises: a case that \
        kills the worker is a crash, a case that does not finish within --hang-seconds is a hang (the \
        worker is killed and restarted after it). Findings go to --findings, each with the command \
        that reproduces it. The last line is

          fuzz: N inputs, C crashes, E 5xx, H hangs

        and the exit status is 1 when anything was found.

        Examples:
          provsim fuzz --seconds 600
          provsim fuzz --seconds 60 --target fake:cf --target http:cf
          provsim fuzz --target scim-filter --seed 7 --index 4242 --reproduce
        """
    )

    @Option(name: .long, help: "How long to fuzz, in seconds.") var seconds: Double = 60
    @Option(name: .long, help: "Seed of the generated cases: the same seed generates the same cases.") var seed: UInt64 = 1
    @Option(name: .customLong("target"), help: "Only this target (repeatable); 'provsim fuzz --list' names them.") var targets: [String] = []
    @Option(name: .long, help: "Directory for the findings.") var findings: String = "reports/fuzz"
    @Option(name: .long, help: "Shipped scenarios, mutated by the scenario-file and cli targets.") var scenarios: String = "scenarios"
    @Option(name: .customLong("hang-seconds"), help: "A case taking longer than this is a hang.") var hangSeconds: Double = 60
    @Option(name: .long, help: "With --reproduce: the index of the case to run.") var index: Int = 0
    @Flag(name: .long, help: "Run one case (--target, --seed, --index) and print it and what it did.") var reproduce = false
    @Flag(name: .long, help: "List the targets.") var list = false
    @Flag(name: .long, help: .hidden) var worker = false

    func validate() throws {
        guard seconds > 0, seconds <= 604_800 else { throw ValidationError("--seconds must be more than 0 and at most 604800") }
        guard hangSeconds >= 1, hangSeconds <= 3600 else { throw ValidationError("--hang-seconds must be from 1 to 3600") }
        guard index >= 0 else { throw ValidationError("--index must not be negative") }
        if reproduce, targets.count != 1 { throw ValidationError("--reproduce needs exactly one --target") }
    }

    func run() async throws {
        try await exiting {
            let all = allTargets()
            if list {
                for target in all { Terminal.print(target.name) }
                return 0
            }
            let unknown = targets.filter { name in !all.contains { $0.name == name } }
            guard unknown.isEmpty else {
                throw CommandFailure(code: 2, message: "unknown fuzz target \(unknown.joined(separator: ", ")) (see provsim fuzz --list)")
            }
            let selected = targets.isEmpty ? all : all.filter { targets.contains($0.name) }
            if reproduce { return try await runOne(selected) }
            if worker { return try await runWorker(selected) }
            return try supervise()
        }
    }

    private func allTargets() -> [any FuzzTarget] {
        let samples = scenarioSamples()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return FuzzTargets.all(seed: seed, scenarioSamples: samples, answerSeconds: hangSeconds)
            + [CommandLineTarget(executable: executable, directory: findings + "/cli-inputs", scenarioSamples: samples, seconds: hangSeconds)]
    }

    private func scenarioSamples() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: scenarios) else { return [] }
        var samples: [String] = []
        for case let path as String in enumerator where path.hasSuffix(".yaml") && !path.contains("fixtures") {
            if let text = try? String(contentsOfFile: scenarios + "/" + path, encoding: .utf8) { samples.append(text) }
        }
        return samples.sorted()
    }

    // MARK: One case

    private func runOne(_ selected: [any FuzzTarget]) async throws -> Int32 {
        let campaign = FuzzCampaign(targets: selected, seed: seed)
        guard let target = selected.first, let fuzzCase = campaign.makeCase(target: target.name, index: index) else { return 2 }
        Terminal.print("\(target.name) #\(index) (seed \(seed)):\n    \(fuzzCase.summary)")
        try await target.prepare()
        let outcome = await target.run(fuzzCase)
        await target.finish()
        Terminal.print("outcome: \(outcome)")
        return outcome == .handled ? 0 : 1
    }

    // MARK: Worker

    /// Runs the campaign, announcing each case on standard output before it runs (`case T I`),
    /// so the supervisor knows what was running when the process died.
    private func runWorker(_ selected: [any FuzzTarget]) async throws -> Int32 {
        let campaign = FuzzCampaign(targets: selected, seed: seed)
        let report = try await campaign.run(seconds: seconds, firstIndex: index) { fuzzCase in
            Terminal.print("case \(fuzzCase.target) \(fuzzCase.index)")
        }
        for finding in report.findings {
            Terminal.print("finding \(finding.fuzzCase.target) \(finding.fuzzCase.index) " + Self.oneLine(finding.description))
        }
        Terminal.print("done \(report.inputs) \(report.serverErrors) \(report.hangs) \(report.malformed)")
        return 0
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\\n")
    }

    // MARK: Supervisor

    private struct WorkerState {
        var lastCase: (target: String, index: Int)?
        var caseStarted = Date()
        var inputs = 0
        var done: [Int]?
        var findings: [(target: String, index: Int, text: String)] = []
    }

    /// Runs workers until the time is up, restarting after a crash or a hang, and tallies.
    private func supervise() throws -> Int32 {
        try FileManager.default.createDirectory(atPath: findings, withIntermediateDirectories: true)
        let deadline = Date().addingTimeInterval(seconds)
        var totals = (inputs: 0, crashes: 0, serverErrors: 0, hangs: 0, malformed: 0)
        var firstIndex = 0
        var findingCount = 0
        var recorded: [String] = []
        while Date() < deadline {
            let remaining = deadline.timeIntervalSinceNow
            let stderrPath = findings + "/worker-stderr.txt"
            guard FileManager.default.createFile(atPath: stderrPath, contents: nil), let workerErrors = FileHandle(forWritingAtPath: stderrPath) else {
                throw CommandFailure(code: 2, message: "cannot write \(stderrPath): the findings directory must be writable")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            var arguments = ["fuzz", "--worker", "--seed", String(seed), "--seconds", String(max(1, remaining)), "--index", String(firstIndex),
                             "--findings", findings, "--scenarios", scenarios, "--hang-seconds", String(hangSeconds)]
            for target in targets { arguments += ["--target", target] }
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = workerErrors
            try process.run()
            let state = Mutex(WorkerState())
            let reader = Thread(block: {
                var buffer = Data()
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                        buffer.removeSubrange(buffer.startIndex...newline)
                        state.withLock { s in Self.read(line, into: &s) }
                    }
                }
            })
            reader.start()
            var hung: (target: String, index: Int)?
            while process.isRunning {
                Thread.sleep(forTimeInterval: 0.2)
                let (current, started) = state.withLock { ($0.lastCase, $0.caseStarted) }
                if let current, Date().timeIntervalSince(started) > hangSeconds + 5 {
                    hung = current
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
            }
            process.waitUntilExit()
            while !reader.isFinished { Thread.sleep(forTimeInterval: 0.05) }
            let final = state.withLock { $0 }
            totals.inputs += final.inputs
            if let done = final.done {
                totals.serverErrors += done[1]
                totals.hangs += done[2]
                totals.malformed += done[3]
            }
            for finding in final.findings where findingCount < 200 {
                findingCount += 1
                let text = finding.text.replacingOccurrences(of: "\\n", with: "\n")
                    + "\nreproduce: provsim fuzz --reproduce --seed \(seed) --target \(finding.target) --index \(finding.index)\n"
                recorded.append(text)
                try? text.write(toFile: "\(findings)/finding-\(findingCount).txt", atomically: true, encoding: .utf8)
            }
            let stderrText = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if let hung {
                totals.hangs += 1
                findingCount += 1
                let text = "hang: \(hung.target) #\(hung.index) did not finish within \(Int(hangSeconds)) s\nreproduce: provsim fuzz --reproduce --seed \(seed) --target \(hung.target) --index \(hung.index)\n"
                recorded.append(text)
                try? text.write(toFile: "\(findings)/finding-\(findingCount).txt", atomically: true, encoding: .utf8)
                firstIndex = hung.index + 1
            } else if process.terminationReason == .uncaughtSignal || (final.done == nil && process.terminationStatus != 0) {
                totals.crashes += 1
                findingCount += 1
                let last = final.lastCase.map { "\($0.target) #\($0.index)" } ?? "before the first case"
                let text = "crash: \(last) (worker ended with \(process.terminationReason == .uncaughtSignal ? "signal" : "status") \(process.terminationStatus))\n"
                    + (final.lastCase.map { "reproduce: provsim fuzz --reproduce --seed \(seed) --target \($0.target) --index \($0.index)\n" } ?? "")
                    + "\nworker stderr (end):\n" + String(stderrText.suffix(20_000))
                recorded.append(text)
                try? text.write(toFile: "\(findings)/finding-\(findingCount).txt", atomically: true, encoding: .utf8)
                guard let lastCase = final.lastCase else { break }
                firstIndex = lastCase.index + 1
            } else {
                break  // the worker ran until the deadline
            }
        }
        for finding in recorded.prefix(20) { Terminal.error(finding.components(separatedBy: "\n").prefix(3).joined(separator: "\n")) }
        let line = "fuzz: \(totals.inputs) inputs, \(totals.crashes) crashes, \(totals.serverErrors) 5xx, \(totals.hangs) hangs"
            + (totals.malformed > 0 ? ", \(totals.malformed) malformed answers" : "")
        Terminal.print(line)
        if findingCount > 0 { Terminal.error("provsim: findings in \(findings)/") }
        return findingCount == 0 ? 0 : 1
    }

    private static func read(_ line: String, into state: inout WorkerState) {
        let parts = line.split(separator: " ", maxSplits: 2)
        switch parts.first {
        case "case":
            guard parts.count == 3, let index = Int(parts[2]) else { return }
            state.lastCase = (String(parts[1]), index)
            state.caseStarted = Date()
            state.inputs += 1
        case "done":
            let numbers = line.split(separator: " ").dropFirst().compactMap { Int($0) }
            if numbers.count == 4 { state.done = numbers }
        case "finding":
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4, let index = Int(fields[2]) else { return }
            state.findings.append((String(fields[1]), index, String(fields[3])))
        default:
            break
        }
    }
}
