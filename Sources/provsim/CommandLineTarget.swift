import Determinism
import Foundation
import Fuzz

/// `provsim` itself as a fuzz target: subcommands run in a child process with generated
/// arguments and input files. Whatever the input, the exit status is 0, 1 or 2 with a message,
/// never a signal (a trap) and never a hang.
final class CommandLineTarget: FuzzTarget {
    let name = "cli"
    private let executable: String
    private let directory: String
    private let scenarioSamples: [String]
    /// How long one invocation may take.
    private let seconds: Double

    init(executable: String, directory: String, scenarioSamples: [String], seconds: Double = 60) {
        self.executable = executable
        self.directory = directory
        self.scenarioSamples = scenarioSamples
        self.seconds = seconds
    }

    func prepare() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(directory)/entity.json", contents: Data(#"{"userName": "alice", "emails": [{"value": "a@example.com"}], "groups": [{"value": "g1"}]}"#.utf8))
    }

    func makeCase(index: Int, random: inout SeededRandom) -> FuzzCase {
        let file = "\(directory)/input-\(index % 4)"
        var arguments: [String]
        var content: String
        switch random.int(0...5) {
        case 0:
            arguments = ["jsonpath", JSONPathGrammar.path(&random), file]
            content = JSONGrammar.text(&random)
        case 1:
            arguments = ["transform", "--transformation", file, "--entity", random.pick(["user", "group", "role", "x"]),
                         "--operation", random.pick(["read", "create", "update", "patch", "delete"]), "--seed", random.numberText(), "\(directory)/entity.json"]
            content = TransformationGrammar.document(&random)
        case 2:
            arguments = ["report", random.pick(["summary", "validate"]), file]
            content = Mutations.mutate(Self.report, &random)
        case 3:
            arguments = ["report", "merge", "\(file).out", file, file]
            content = Mutations.mutate(Self.report, &random)
        case 4:
            arguments = ["run", "--list", file]
            content = scenarioSamples.isEmpty ? JSONGrammar.text(&random) : Mutations.mutate(random.pick(scenarioSamples), &random)
        default:
            let option = random.pick(["--time-scale", "--port", "--seed", "--services"])
            arguments = ["serve", option, random.chance(0.5) ? random.numberText() : random.text(), "--help"]
            content = ""
        }
        // A process argument cannot hold NUL, nor exceed the kernel's 128 KiB for one argument.
        arguments = arguments.map { String($0.filter { $0 != "\u{0}" && $0 != "\u{1}" }.utf8.prefix(100_000)) ?? "" }
        let command = arguments.joined(separator: " ")
        let payload = file + "\u{0}" + arguments.joined(separator: "\u{1}") + "\u{0}" + content
        return FuzzCase(target: name, index: index, payload: .text(payload), summary: "provsim \(command)\n    file: \(content)")
    }

    func run(_ fuzzCase: FuzzCase) async -> FuzzOutcome {
        guard case .text(let payload) = fuzzCase.payload else { return .handled }
        let parts = payload.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return .handled }
        let arguments = parts[1].split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
        _ = FileManager.default.createFile(atPath: parts[0], contents: Data(parts[2].utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            try process.run()
        } catch {
            return .malformed(detail: "cannot start \(executable): \(error)")
        }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                return .hang(detail: "still running after \(Int(seconds)) s")
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        if process.terminationReason == .uncaughtSignal {
            return .malformed(detail: "killed by signal \(process.terminationStatus) (a crash)")
        }
        guard [0, 1, 2].contains(process.terminationStatus) else {
            return .malformed(detail: "exit status \(process.terminationStatus), not 0, 1 or 2")
        }
        return .handled
    }

    static let report = """
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="provsim" tests="1" failures="0" errors="0" skipped="0" time="0.5">
      <testsuite name="s" tests="1" failures="0" errors="0" skipped="0" time="0.5" timestamp="2026-01-01T00:00:00" hostname="h">
        <testcase name="c" classname="s" time="0.5"/>
      </testsuite>
    </testsuites>
    """
}
