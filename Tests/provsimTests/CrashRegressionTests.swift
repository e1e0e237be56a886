import Foundation
import Testing

/// Command lines that once crashed provsim (a trap kills the process with a signal instead of
/// exit status 2 and a message), kept as named tests.
@Suite("Command-line crash regressions", .serialized)
struct CommandLineCrashRegressionTests {
    @Test("provsim jsonpath with an expression nested 50,000 levels deep exits 2 with the nesting limit", arguments: [
        "$[?(" + String(repeating: "!", count: 50_000) + "@.a)]",
        "$[?(" + String(repeating: "(", count: 50_000) + "@.a" + String(repeating: ")", count: 50_000) + ")]",
    ])
    func deepJSONPath(expression: String) throws {
        let r = try ProvsimProcess.run(["jsonpath", expression, "-"], stdin: "{}")
        #expect(r.status == 2)
        #expect(r.stderr.contains("nests deeper than 100 levels"))
    }

    @Test("provsim transform with a huge target array index ($.a[99999999999]) exits 2 instead of allocating it")
    func hugeTargetIndex() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("t.json")
        try Data(#"{"user": {"mappings": [{"sourcePath": "$.userName", "targetPath": "$.a[99999999999]"}]}}"#.utf8).write(to: file)
        let r = try ProvsimProcess.run(["transform", "--transformation", file.path, "-"], stdin: #"{"userName": "a"}"#)
        #expect(r.status == 2)
        #expect(r.stderr.contains("invalid index '99999999999' (indexes are 32-bit integers)"), "\(r.stderr)")
    }

    @Test("provsim report summary and merge on a JUnit file whose time is huge, infinite or NaN exit 2 naming the line", arguments: ["1e300", "inf", "NaN", "99999999999999999999", "-1"])
    func junitTimes(time: String) throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("junit.xml")
        try Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites>
          <testsuite name="s" tests="1" failures="0" errors="0" skipped="0" time="\(time)">
            <testcase name="c" classname="s" time="1"/>
          </testsuite>
        </testsuites>
        """.utf8).write(to: file)
        for arguments in [["report", "summary", file.path], ["report", "merge", directory.appendingPathComponent("merged.xml").path, file.path]] {
            let r = try ProvsimProcess.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("time=\"\(time)\""), "\(r.stderr)")
            #expect(r.stderr.contains(":3") || r.stderr.contains("line 3"), "\(r.stderr)")
        }
    }
}
