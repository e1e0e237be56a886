import Foundation
import JSON
import Report
import Testing

@Suite("provsim command line", .serialized)
struct CommandLineTests {
    let user = #"{"id":"u1","userName":"jdoe","emails":[{"value":"jdoe@example.com"}],"zoneId":"z"}"#

    @Test func version() throws {
        let r = try ProvsimProcess.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ProvsimVersion.current)
    }

    @Test func jsonpathExitCodes() throws {
        let found = try ProvsimProcess.run(["jsonpath", "$.emails[0].value", "-"], stdin: user)
        #expect(found.status == 0)
        #expect(found.stdout == "\"jdoe@example.com\"\n")
        let list = try ProvsimProcess.run(["jsonpath", "--compact", "$.emails[*].value", "-"], stdin: user)
        #expect(list.stdout == "[\"jdoe@example.com\"]\n")
        let empty = try ProvsimProcess.run(["jsonpath", "$.emails[?(@.type == 'none')]", "-"], stdin: user)
        #expect(empty.status == 0 && empty.stdout == "[]\n")
        let missing = try ProvsimProcess.run(["jsonpath", "$.name.givenName", "-"], stdin: user)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("$.name.givenName finds nothing"))
        let invalid = try ProvsimProcess.run(["jsonpath", "$.emails[?(@.x = 1)]", "-"], stdin: user)
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("invalid JSONPath at column 16: '=' is not an operator"))
        #expect(invalid.stderr.contains("\n" + String(repeating: " ", count: 17) + "^"))
        let badJSON = try ProvsimProcess.run(["jsonpath", "$", "-"], stdin: "{\n\"a\": }")
        #expect(badJSON.status == 2)
        #expect(badJSON.stderr.contains("standard input: line 2, column 6"))
    }

    @Test func transformOneEntity() throws {
        let r = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-write", "--property", "xsuaa.origin=sap.custom", "-"], stdin: user)
        #expect(r.status == 0, "\(r.stderr)")
        let output = try JSONValue(parsing: r.stdout)
        #expect(output["origin"] == "sap.custom")
        #expect(r.stdout.contains("\n  \"userName\": \"jdoe\""))  // pretty for a single entity
    }

    @Test func transformNDJSONReportsFailuresByLine() throws {
        let input = """
        \(user)
        {"id":"u2","userName":"nomail","zoneId":"z"}
        {"broken
        {"id":"u3","userName":"x","emails":[{"value":"x@example.com"}],"zoneId":"z"}
        """
        let r = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-read", "--operation", "read",
                                        "--variable", "entityBaseLocation=https://p/Users/", "-"], stdin: input)
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(#"{"id":"u1","meta":{"location":"https://p/Users/u1"}"#))
        #expect(r.stderr.contains("line 2: failed: user.mappings[4]: sourcePath $.emails has no value and the mapping is not optional"))
        #expect(r.stderr.contains("line 3: invalid JSON at column"))
    }

    @Test func transformSkipsAreNotFailures() throws {
        let r = try ProvsimProcess.run(["transform", "--transformation", "builtin:cf-platform-members-proxy-write", "--operation", "update", "-"], stdin: user)
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("line 1: skipped: Operation [update] is skipped in target transformation"))
    }

    @Test func transformRefusesBadInputWithExitTwo() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("t.json")
        try Data("{\n  \"user\": {\"mappings\": [\n    {\"sourcePath\": \"$.a\", \"targetPath\": \"$..b\"}\n  ]}\n}".utf8).write(to: file)
        let r = try ProvsimProcess.run(["transform", "--transformation", file.path, "-"], stdin: user)
        #expect(r.status == 2)
        #expect(r.stderr.contains("t.json:3: user.mappings[0].targetPath: cannot write to '$..b'"))
        let entity = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-read", "--entity", "person", "-"], stdin: user)
        #expect(entity.status == 2 && entity.stderr.contains("--entity must be user, group or role"))
        let builtin = try ProvsimProcess.run(["transform", "--transformation", "builtin:nope", "-"], stdin: user)
        #expect(builtin.status == 2 && builtin.stderr.contains("no built-in transformation 'builtin:nope'"))
    }

    @Test func transformResolvesIDsFromAMap() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let map = directory.appendingPathComponent("ids.json")
        let doc = directory.appendingPathComponent("t.json")
        try Data(#"{"user": {"s1": "t1"}}"#.utf8).write(to: map)
        try Data(#"{"group": {"mappings": [{"sourcePath": "$.members[*].value", "targetPath": "$.members[?(@.value)]", "functions": [{"type": "resolveEntityIds"}]}]}}"#.utf8).write(to: doc)
        let r = try ProvsimProcess.run(["transform", "--transformation", doc.path, "--entity", "group", "--id-map", map.path, "--compact", "-"],
                                       stdin: #"{"members": [{"value": "s1"}, {"value": "s2"}]}"#)
        #expect(r.status == 0)
        #expect(r.stdout == #"{"members":[{"value":"t1"}]}"# + "\n")
        #expect(r.stderr.contains("warning: resolveEntityIds: user 's2' has not been provisioned to the target; left out"))
    }

    @Test func transformationsListAndShow() throws {
        let list = try ProvsimProcess.run(["transformations", "list"])
        #expect(list.stdout.contains("builtin:xsuaa-proxy-read\n"))
        let show = try ProvsimProcess.run(["transformations", "show", "cf-platform-members-proxy-read"])
        #expect(show.stdout.contains("//The attribute group extension name"))
    }

    /// NDJSON longer than one batch streams: the same output, messages and per-entity seeds as the
    /// whole input read at once, in the input's order with any number of threads.
    @Test func transformStreamsNDJSONInTheInputsOrder() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let document = directory.appendingPathComponent("password.json")
        try #"{"user": {"mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}, {"targetPath": "$.password", "functions": [{"type": "randomPassword", "passwordLength": 12, "minimumNumberOfLowercaseLetters": 2, "minimumNumberOfUppercaseLetters": 2, "minimumNumberOfDigits": 2, "minimumNumberOfSpecialSymbols": 1}]}]}}"#
            .write(to: document, atomically: true, encoding: .utf8)
        var lines: [String] = []
        for i in 1...120 {
            switch i {
            case 17: lines.append(#"{"id":"x"}"#)  // no userName: fails
            case 42: lines.append(#"{"broken"#)
            case 50, 51: lines.append("   ")
            default: lines.append(#"{"userName":"user-\#(i)"}"#)
            }
        }
        let input = lines.joined(separator: "\n")
        let common = ["transform", "--transformation", document.path, "--seed", "7", "-"]
        let whole = try ProvsimProcess.run(common, stdin: input)
        #expect(whole.status == 1)
        #expect(whole.stderr.contains("line 17: failed: ") && whole.stderr.contains("line 42: invalid JSON at column"))
        #expect(whole.stdout.split(separator: "\n").count == 116)
        for threads in ["1", "3"] {
            let streamed = try ProvsimProcess.run(common + ["--batch-bytes", "256", "--threads", threads], stdin: input)
            #expect(streamed.status == 1)
            #expect(streamed.stdout == whole.stdout, "threads \(threads)")
            #expect(streamed.stderr == whole.stderr, "threads \(threads)")
        }
    }

    /// Deciding between one document and a stream: an empty input is an error, as ever, and a
    /// single entity longer than a batch is still printed pretty.
    @Test func transformDecidesOnTwoEntitiesNotOneBatch() throws {
        let empty = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-read", "--operation", "read", "-"], stdin: "")
        #expect(empty.status == 1 && empty.stderr.contains("line 1: invalid JSON"), "\(empty.stderr)")
        let long = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-write", "--property", "xsuaa.origin=sap.custom",
                                           "--batch-bytes", "4", "-"], stdin: user + "\n\n")
        #expect(long.status == 0 && long.stdout.contains("\n  \"userName\": \"jdoe\""), "\(long.stdout)")
        let blanksFirst = try ProvsimProcess.run(["transform", "--transformation", "builtin:xsuaa-proxy-write", "--property", "xsuaa.origin=sap.custom",
                                                  "--batch-bytes", "4", "-"], stdin: "\n \n\n" + user + "\n" + user + "\n")
        #expect(blanksFirst.status == 0 && blanksFirst.stdout.split(separator: "\n").count == 2, "\(blanksFirst.stdout)")
    }

    @Test func generateIsDeterministic() throws {
        let a = try ProvsimProcess.run(["generate", "users", "--count", "3", "--seed", "4"])
        let b = try ProvsimProcess.run(["generate", "users", "--count", "3", "--seed", "4"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 3)
    }

    @Test func benchPrintsTheDocumentedFinalLine() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let input = directory.appendingPathComponent("u.ndjson")
        _ = try ProvsimProcess.run(["generate", "users", "--count", "50", "--output", input.path])
        let r = try ProvsimProcess.run(["bench", "transform", "--transformation", "builtin:xsuaa-proxy-read", "--entity", "user",
                                        "--variable", "entityBaseLocation=https://p/", "--input", input.path, "--threads", "2", "--iterations", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let last = try #require(r.stdout.split(separator: "\n").last)
        #expect(last.hasPrefix("transform: 50 entities in "))
        #expect(last.contains(" entities/s (") && last.contains(" MB/s), threads=2"))
        #expect(r.stdout.contains("  raw path: 50 of 50 entities per pass"))
        #expect(r.stdout.contains(" per pass, maximum RSS "))
        let values = try ProvsimProcess.run(["bench", "transform", "--transformation", "builtin:xsuaa-proxy-read", "--entity", "user",
                                             "--variable", "entityBaseLocation=https://p/", "--input", input.path, "--iterations", "1", "--values-only"])
        #expect(values.status == 0 && values.stdout.contains("  raw path: 0 of 50 entities per pass"))
    }

    /// The job, then its request floor on the same fake through the same client, and the ratio.
    @Test func benchJobMeasuresItsRequestFloor() throws {
        let r = try ProvsimProcess.run(["bench", "job", "--users", "40", "--groups", "2", "--no-rate-limits", "--no-pacing", "--in-process"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("job: 40 users + 2 groups → xsuaa in ") == true)
        #expect(lines.first?.contains("(44 requests, 429s 0)") == true, "\(r.stdout)")  // a page of users and one of groups, 40 users, 2 groups
        let floor = try #require(lines.last)
        #expect(floor.hasPrefix("floor: 42 plain POST /Users in ") && floor.contains(" (0 failed); job/floor = "), "\(floor)")
        let skipped = try ProvsimProcess.run(["bench", "job", "--users", "5", "--groups", "1", "--no-rate-limits", "--no-pacing", "--in-process", "--no-floor"])
        #expect(skipped.status == 0 && !skipped.stdout.contains("floor:"))
    }

    @Test func benchFakeMeasuresAnInProcessFake() throws {
        let r = try ProvsimProcess.run(["bench", "fake", "--service", "afc", "--users", "20", "--connections", "2", "--duration", "0.3", "--warmup", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("target: afc at http://127.0.0.1:") == true)
        #expect(lines.contains { $0.hasPrefix("  statuses: 200×") && !$0.contains("429") })
        let last = try #require(lines.last)
        #expect(last.hasPrefix("fake: ") && last.hasSuffix(" requests/s, service=afc, mix=mixed, connections=2"), "\(last)")
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["generate", "users", "--count", "-1"], ["bench", "fake", "--connections", "0"], ["serve", "--no-such-option"]] {
            let r = try ProvsimProcess.run(arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains("Error:") || r.stderr.contains("provsim:"), "\(r.stderr)")
        }
    }
}

@Suite("provsim run and report", .serialized)
struct RunCommandTests {
    func fixtures() -> String {
        ProvsimProcess.packageRoot.appendingPathComponent("Tests/ScenarioTests/Fixtures").path
    }

    // The whole suite (bursts included, about 30 s) runs in `make run`; here the transformation
    // and lifecycle scenarios, which do not depend on how busy the machine is.
    @Test func shippedScenariosPassAndBothReportsAreWritten() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let junit = directory.appendingPathComponent("junit.xml").path
        let r = try ProvsimProcess.run(["run", "scenarios", "--filter", "^(transformations|lifecycle)/", "--junit", junit])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("PASS  transformations/xsuaa-proxy-read  XSUAA proxy read transformation"))
        #expect(r.stdout.contains("scenario    "), "the summary table")
        #expect(r.stdout.contains("lifecycle/onboarding") && r.stdout.contains("all passed"))
        #expect(r.stdout.contains("reports: \(junit), \(directory.appendingPathComponent("index.html").path)"))
        let validate = try ProvsimProcess.run(["report", "validate", junit])
        #expect(validate.status == 0, "\(validate.stderr)")
        let html = try String(contentsOfFile: directory.appendingPathComponent("index.html").path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("All 9 scenarios passed"))
        #expect(html.contains("Onboarding new hires into XSUAA, Cloud Foundry and AFC") && html.contains("<caption>READ of directory"))
        #expect(!html.contains("<script"))
    }

    @Test func failingScenariosExitOneAndShowInTheReport() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let junit = directory.appendingPathComponent("junit.xml").path
        let r = try ProvsimProcess.run(["run", fixtures() + "/failing", fixtures() + "/passing", "--junit", junit])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL  wrong-expectations  Failing on purpose  (4 steps"))
        #expect(r.stdout.contains("✗ expects the wrong primary flag: $.emails[0].primary: expected false, actual true"))
        #expect(r.stdout.contains("wrong-expectations.yaml:4"))
        #expect(r.stdout.contains("3 scenarios, 8 steps: 1 scenario failed (3 steps)"))
        let summary = try ProvsimProcess.run(["report", "summary", junit])
        #expect(summary.status == 1)
        #expect(summary.stdout.hasPrefix("3 suites, 8 tests: 5 passed, 3 failed in "))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"<failure message="$.emails[0].primary: expected false, actual true" type="ExpectationFailure">"#))
        #expect(try ProvsimProcess.run(["report", "validate", junit]).status == 0)
    }

    @Test func invalidScenarioFilesExitTwoBeforeRunningAnything() throws {
        let r = try ProvsimProcess.run(["run", fixtures() + "/invalid", fixtures() + "/passing", "--junit", "/dev/null"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad-transformation.yaml:4:23: steps[0].transform.transformation:"))
        #expect(r.stderr.contains("1 invalid scenario file; nothing was run"))
        #expect(!r.stdout.contains("PASS"))
    }

    @Test func filterAndShards() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let one = directory.appendingPathComponent("1.xml").path
        let two = directory.appendingPathComponent("2.xml").path
        let merged = directory.appendingPathComponent("all.xml").path
        let a = try ProvsimProcess.run(["run", "scenarios/transformations", "--shard", "1/2", "--junit", one])
        let b = try ProvsimProcess.run(["run", "scenarios/transformations", "--shard", "2/2", "--junit", two])
        #expect(a.status == 0 && b.status == 0)
        let m = try ProvsimProcess.run(["report", "merge", merged, one, two])
        #expect(m.status == 0, "\(m.stderr)")
        let all = try ProvsimProcess.run(["run", "scenarios/transformations", "--list"])
        let scenarioCount = all.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.count
        #expect(m.stdout.contains("\(scenarioCount) suites"))
        #expect(try ProvsimProcess.run(["report", "merge", merged, one, one]).status == 1)  // overlap refused
        let filtered = try ProvsimProcess.run(["run", "scenarios", "--filter", "transformations/platform-members", "--list"])
        #expect(filtered.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.count == 2)
        let none = try ProvsimProcess.run(["run", "scenarios", "--filter", "no-such-thing", "--junit", one])
        #expect(none.status == 1 && none.stderr.contains("matches none of the"))
        let badShard = try ProvsimProcess.run(["run", "scenarios", "--shard", "3/2"])
        #expect(badShard.status != 0)
    }

    @Test func reportValidateFindsProblems() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("bad.xml")
        try Data(#"<testsuites tests="1"><testsuite name="a"/></testsuites>"#.utf8).write(to: file)
        let r = try ProvsimProcess.run(["report", "validate", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.xml: line 1:"))
        let missing = try ProvsimProcess.run(["report", "validate", directory.appendingPathComponent("nope.xml").path])
        #expect(missing.status == 2)
    }
}
