import Fakes
import Hosting
import Report
@testable import Scenario
import Testing
import Yams

/// The steps and checks the conformance suite added: request expectations on a job, the
/// `request` step, generated seeds, member sets, and what a run step attaches to the report.
@Suite("Suite steps: requests, probes, generated seeds, members")
struct SuiteStepTests {
    private func run(_ steps: String) async throws -> ScenarioResult {
        try await ScenarioYAML.run(ScenarioYAML.directoryToXSUAA + steps, file: "s.yaml")
    }

    private func loadError(_ steps: String) -> String? {
        do {
            _ = try ScenarioYAML.load(ScenarioYAML.directoryToXSUAA + steps, file: "s.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func requestExpectationsMeasureOnlyThisJob() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, generate: { users: 60, groups: 3, prefix: gen } }
          - run:
              source: directory
              expect:
                statistics: { btp: { user: { created: 60 }, group: { created: 3 } } }
                requests: { btp: { "POST /Users": 60, "PUT /Groups/*": ">=0", writes: ">=63", rejected: 0, tokens: 1, total: ">60", 201: 63 } }
          - assert: { fake: xsuaa, count: { users: 60, groups: 3 }, members: { Team_01: [gen-00001, gen-00004, gen-00007, gen-00010, gen-00013, gen-00016, gen-00019, gen-00022, gen-00025, gen-00028, gen-00031, gen-00034, gen-00037, gen-00040, gen-00043, gen-00046, gen-00049, gen-00052, gen-00055, gen-00058] } }
          - run:
              source: directory
              expect:
                requests: { btp: { writes: 0, total: 0, tokens: 0 }, directory: { reads: ">=2" } }
        """)
        let problems = result.failedSteps.map { $0.outcome.message }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func requestExpectationsFailNamingSystemMeasureAndCounts() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, data: { users: [{ userName: a, emails: [{ value: a@example.com }] }] } }
          - run: { source: directory, expect: { requests: { btp: { writes: 0, "POST /Users": ">1" } } } }
        """)
        let step = result.steps[2]
        #expect(step.outcome.status == .failed)
        #expect(step.outcome.message.hasSuffix("requests.btp.writes: expected 0, actual 1"), "\(step.outcome.message)")
        #expect(step.outcome.details.contains("requests.btp.POST /Users: expected >1, actual 1"))
    }

    @Test func aRunStepAttachesStatisticsRequestsAndARateChartForLimitedTargets() async throws {
        // XSUAA's limit on, at 20x real time: the paced job keeps 167 ms of queue slack, so no 429
        // even on a saturated machine.
        let result = try await ScenarioYAML.run("""
        steps:
          - systems:
              timeScale: 20
              systems:
                directory: { type: identity-directory, role: source, fake: identity-directory, targets: [btp] }
                btp: { type: xsuaa, role: target, fake: xsuaa, properties: { xsuaa.origin: sap.custom } }
          - seed: { fake: identity-directory, generate: { users: 60, prefix: gen } }
          - run: { source: directory }
        """, file: "s.yaml")
        let attachments = result.steps[2].outcome.attachments
        guard attachments.count == 3, case .table(let statistics) = attachments[0], case .table(let requests) = attachments[1],
              case .chart(let chart) = attachments[2] else {
            Issue.record("expected statistics, requests and a chart: \(attachments)")
            return
        }
        #expect(statistics.rows.contains(["btp", "user", "Write", "n/a", "60", "0", "0", "0", "0"]))
        #expect(statistics.rows.contains(["directory", "user", "Read", "60", "n/a", "n/a", "n/a", "0", "0"]))
        #expect(requests.columns.first == "system" && requests.rows.contains { $0.first == "btp" })
        #expect(chart.limitPerSecond == 3 && chart.limitLabel == "3 requests/s")
        #expect(chart.accepted.reduce(0, +) == 60 && chart.rejected.allSatisfy { $0 == 0 })
        #expect(chart.notes.contains("60 requests"))
    }

    @Test func theRequestStepChecksStatusAndBodyAsTheSystemsClient() async throws {
        let result = try await run("""
          - seed: { fake: xsuaa, data: { users: [{ userName: kim, origin: sap.custom, emails: [{ value: kim@example.com }] }] } }
          - request:
              system: btp
              method: GET
              path: /Users?filter=userName%20eq%20%22kim%22
              expect: { status: 200, body: { totalResults: 1, resources: [{ userName: kim }] } }
          - request:
              system: btp
              method: DELETE
              path: /Users/nobody
              expect: { status: 204 }
        """)
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.details)")
        #expect(result.steps[3].outcome.status == .failed)
        #expect(result.steps[3].outcome.message == "DELETE /Users/nobody: status: expected 204, actual 404")
        #expect(result.steps[3].outcome.details.contains("answer:"))
    }

    @Test func requestsSendHeadersSaveValuesAndCheckHeadersPatternsAndAbsence() async throws {
        let result = try await run("""
          - request:
              system: btp
              method: POST
              path: /Users
              body: { userName: kim, origin: sap.custom, emails: [{ value: kim@example.com }] }
              expect:
                status: [200, 201]
                headers: { ETag: '"0"', Retry-After: null }
                matches: { $.id: "^[0-9a-f-]{36}$" }
                absent: [password]
              save: { kimId: $.id, version: $.meta.version, etag: header:ETag }
          - request:
              system: btp
              method: PUT
              path: /Users/${kimId}
              headers: { If-Match: "${etag}" }
              body: { id: "${kimId}", userName: kim, origin: sap.custom, emails: [{ value: kim@new.example.com }] }
              expect: { status: 200, headers: { etag: { matches: '^"1"$' } }, body: { id: "${kimId}", meta: { version: 1 } } }
          - request:
              system: btp
              method: PUT
              path: /Users/${kimId}
              headers: { If-Match: '"0"' }
              body: { userName: kim, origin: sap.custom, emails: [{ value: kim@example.com }] }
              expect: { status: 409 }
          - request:
              system: btp
              method: GET
              path: /Users?filter=userName%20eq%20%22kim%22
              expect:
                status: 200
                absent: ["$.resources[*].password"]
                matches: { "$.resources[*].emails[0].value": '@new\\.example\\.com$' }
          - request:
              system: btp
              method: GET
              path: /Users/${kimId}
              expect: { status: 204, headers: { ETag: '"7"', Location: { matches: x } }, matches: { $.userName: "^z" }, absent: ["$.emails[*].value"] }
          - request: { system: btp, method: GET, path: "/Users/${kimId}", expect: { status: 200 }, save: { missing: $.nothing } }
          - request: { system: btp, method: GET, path: "/Users/${nobody}", expect: { status: 200 } }
        """)
        for index in 1...4 { #expect(result.steps[index].outcome.status == .passed, "step \(index): \(result.steps[index].outcome.message)") }
        let wrong = result.steps[5].outcome
        #expect(wrong.status == .failed)
        #expect(wrong.message.hasPrefix("GET /Users/") && wrong.message.hasSuffix(": status: expected 204, actual 200"), "\(wrong.message)")
        for problem in [#"header ETag: expected "7", actual "1""#, "header Location: expected a value matching x, actual absent",
                        #"$.userName: expected a value matching ^z, actual "kim""#, #"$.emails[*].value: expected to find nothing, found "kim@new.example.com""#] {
            #expect(wrong.details.contains(problem), "\(problem)")
        }
        #expect(result.steps[6].outcome.status == .failed)
        #expect(result.steps[6].outcome.message.hasSuffix("save missing: $.nothing finds nothing in the answer (200)"))
        #expect(result.steps[7].outcome.status == .error)
        #expect(result.steps[7].outcome.message.contains("no saved value 'nobody' (saved so far: etag, kimId, run, version"))
    }

    @Test func aSavedURLOnTheSystemIsFollowedAsAPath() async throws {
        let result = try await run("""
          - request:
              system: btp
              method: POST
              path: /Users
              body: { userName: lee, origin: sap.custom, emails: [{ value: lee@example.com }] }
              expect: { status: 201 }
              save: { id: $.id }
          - request: { system: btp, method: GET, path: "/Users/${id}", expect: { status: 200 }, save: { self: $.meta.location } }
          - request: { system: btp, method: GET, path: "${id}", expect: { status: 200 } }
        """)
        #expect(result.steps[1].outcome.status == .passed, "\(result.steps[1].outcome.message)")
        #expect(result.steps[3].outcome.status == .error)
        #expect(result.steps[3].outcome.message.contains("is neither a path (/…) nor a URL under system btp's URL"))
    }

    @Test func membersComparesExactSetsByUserName() async throws {
        let result = try await run("""
          - seed:
              fake: identity-directory
              data:
                users: [{ userName: a, emails: [{ value: a@example.com }] }, { userName: b, emails: [{ value: b@example.com }] }]
                groups: [{ displayName: G, members: [{ userName: a }, { userName: b }] }]
          - run: { source: directory }
          - assert: { fake: xsuaa, members: { G: [a] } }
          - assert: { fake: xsuaa, members: { H: [a] } }
        """)
        #expect(result.steps[3].outcome.message == #"members of G: expected ["a"], actual ["a", "b"]"#)
        #expect(result.steps[4].outcome.message == "xsuaa has no group 'H' (groups: G)")
    }

    @Test(arguments: [
        ("  - run: { source: directory, expect: { requests: { btp: { fast: 1 } } } }", "unknown request measure 'fast'"),
        ("  - run: { source: directory, expect: { requests: { btp: { writes: lots } } } }", "expected a count such as 3"),
        ("  - request: { system: btp, method: FETCH, path: /Users, expect: { status: 200 } }", "method must be one of DELETE, GET, PATCH, POST, PUT"),
        ("  - request: { system: btp, method: GET, path: Users, expect: { status: 200 } }", "path must start with /"),
        ("  - request: { system: btp, method: GET, path: /Users }", "missing required key 'expect'"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: [] } }", "status: expected a status code or a list of them"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: [200, 999] } }", "status must be an HTTP status code"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: 200, matches: { $.a: '([' } } }", "'([' is not a valid regular expression"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: 200, absent: ['$.a[?('] } }", "invalid JSONPath '$.a[?('"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: 200, headers: { ETag: [1] } } }", "headers: ETag: expected a value, { matches: pattern } or null"),
        ("  - request: { system: btp, method: GET, path: /Users, headers: { 'Bad Name': x }, expect: { status: 200 } }", "headers: 'Bad Name' is not a header name"),
        ("  - request: { system: btp, method: GET, path: '/Users/${1x}', expect: { status: 200 } }", "'${1x}' in '/Users/${1x}' is not a saved value's name"),
        ("  - request: { system: btp, method: GET, path: /Users, body: { a: '${open' }, expect: { status: 200 } }", "body: '${' without a closing '}'"),
        ("  - properties: { system: btp }", "give set: {property: value} or remove: [property]"),
        ("  - run: { source: directory, expect: { trigger: NOW } }", "the log's Trigger Type is IMMEDIATE or REPEAT"),
        ("  - run: { source: directory, trigger: scheduled, triggeredBy: P1 }", "a scheduled job is triggered by nobody"),
        ("  - control: { fake: afc, method: FETCH, path: x }", "method must be one of DELETE, GET, PATCH, POST, PUT"),
        ("  - control: { fake: afc, method: GET, path: 'users/${1}' }", "'${1}' in 'users/${1}' is not a saved value's name"),
        ("  - refused: { error: x }", "give one of transformation, systems or scenario (found none)"),
        ("  - refused: { scenario: a.yaml, transformation: builtin:xsuaa-read, error: x }", "give one of transformation, systems or scenario (found transformation and scenario)"),
        ("  - refused: { scenario: s.yaml, error: x }", "scenario files name each other in a loop: s.yaml → s.yaml"),
        ("  - refused: { scenario: nowhere.yaml, error: x }", "no scenario file nowhere.yaml"),
        ("  - realtime: { system: directory, method: POST, user: a, expect: {} }", "expect at least one of status, source, targets, reasons"),
        ("  - realtime: { system: directory, method: POST, user: a, expect: { status: [] } }", "status: expected a status code or a list of them"),
        ("  - properties: { system: btp, set: { a: 1 }, remove: [a] }", "'a' is both set and removed"),
        ("  - properties: { system: btp, set: { a: [1] } }", "set: a: a property's value is text"),
        ("  - run: { source: directory, expect: { statistics: { btp: { role: gone } } } }", "btp.role: expected counts ({ created: 1 }) or absent (no row)"),
        ("  - run: { source: directory, expect: { requests: { btp: { writes: [] } } } }", "expected a count such as 3, or a list of them"),
        ("  - run: { source: directory, expect: { requests: { btp: { writes: [1, lots] } } } }", "expected a count such as 3"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: 200 }, save: { id: id } }", "save: id: expected a JSONPath ($.id) or header:Name, found 'id'"),
        ("  - request: { system: btp, method: GET, path: /Users, expect: { status: 200 }, save: { 9a: $.id } }", "save: '9a' is not a usable name"),
        ("  - seed: { fake: identity-directory }", "give either data: {…} or generate: {users: n, …}"),
        ("  - seed: { fake: identity-directory, generate: { users: 0 } }", "users must be between 1 and 100000"),
        ("  - assert: { fake: cf, members: { G: [a] } }", "members are checked on SCIM fakes; use roles for cf"),
        ("  - run: { source: directory, expect: { sent: { btp: [{ request: /Users }] } } }", "expected METHOD /path (PUT /Groups/*)"),
        ("  - run: { source: directory, expect: { engine: { btp: { writes: 0 } } } }", "unknown engine measure 'writes' (known: requests, retries, tooManyRequests"),
        ("  - burst: { system: btp, path: Users, requests: 5 }", "path must start with /"),
        ("  - burst: { system: btp, path: /Users, concurrency: 65 }", "expected a whole number from 1 to 64"),
        ("  - run: { source: directory, expect: { sent: { btp: [{ request: PUT /Users/*, count: lots }] } } }", "expected a count such as 3"),
        ("  - run: { source: directory, expect: { sent: { btp: [{ request: PUT /Users/*, status: 200 }] } } }", "unknown key 'status'"),
        ("  - run: { source: directory, expect: { sent: { btp: { request: PUT /Users/* } } } }", "expected a list"),
        ("  - systems: { tokenLifetime: 0, systems: { d: { type: identity-directory, role: source, fake: identity-directory } } }", "expected a whole number from 1 to 315360000"),
    ])
    func badStepsAreRefusedWhenLoading(_ step: String, _ message: String) {
        let error = loadError(step)
        #expect(error?.contains(message) == true, "\(error ?? "loaded")")
    }

    @Test(arguments: [
        ("nope", "the fake 'nope' is not started"),
        ("xsuaa", "xsuaa: no user with userName 'x'"),
    ])
    func changeNamesWhatItCannotChange(_ fake: String, _ message: String) async throws {
        let result = try await run("  - change: { fake: \(fake), delete: { user: x } }\n")
        #expect(result.steps[1].outcome.status == .error)
        #expect(result.steps[1].outcome.message.contains(message), "\(result.steps[1].outcome.message)")
    }

    @Test func runningWithoutADeclaredSystemIsAnError() async throws {
        let result = try await run("""
          - run: { source: directory, expect: { requests: { nope: { writes: 0 } } } }
        """)
        #expect(result.steps[1].outcome.status == .error)
        #expect(result.steps[1].outcome.message.contains("the system 'nope' is not declared with fake:"))
    }

    @Test(arguments: [
        ("3", true, 3), ("3", false, 4), (">0", true, 1), (">0", false, 0), (">=2", true, 2), ("<= 3", true, 3),
        ("<=3", false, 4), ("<10", true, 9), ("=5", true, 5),
    ])
    func countExpectations(_ text: String, _ holds: Bool, _ actual: Int) throws {
        let expectation = try #require(CountExpectation(text))
        #expect(expectation.holds(for: actual) == holds)
    }

    @Test func countExpectationsRejectNonsense() {
        #expect(CountExpectation("lots") == nil)
        #expect(CountExpectation(">-1") == nil)
        #expect(CountExpectation(">") == nil)
        #expect(CountExpectation(">=3")?.description == ">=3")
        #expect(CountExpectation("7")?.description == "7")
    }

    @Test func peaksComeFromArrivalTimesAndLatencies() {
        let journal = RequestJournal()
        // Four requests within one simulated second, then one later; each takes 1 ms real.
        for (i, time) in [0.0, 0.2, 0.5, 0.9, 3.0].enumerated() {
            journal.record(method: "POST", path: "/Users", query: [:], status: i == 3 ? 429 : 201, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: time)
        }
        journal.record(method: "POST", path: "/oauth/token", query: [:], status: 200, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: 0)
        // At 400 × real time 1 ms is 0.4 simulated seconds: the first three overlap.
        let traffic = RequestTraffic(journal.entries(), timeScale: 400)
        #expect(traffic.measure(.total) == 5 && traffic.measure(.tokens) == 1)
        #expect(traffic.measure(.rejected) == 1 && traffic.measure(.status(201)) == 4)
        #expect(traffic.peakPerSecond == 4)
        #expect(traffic.peakInFlight == 2)
        #expect(traffic.measure(.matching(method: "POST", path: "/U*")) == 5)
    }

    @Test func whatAJobSentIsCheckedByRouteBodyAndHeaders() async throws {
        let seed = """
          - seed: { fake: identity-directory, data: { users: [{ userName: a, emails: [{ value: a@example.com }] }, { userName: b, emails: [{ value: b@example.com }] }] } }

        """
        let passing = try await run(seed + """
          - run:
              source: directory
              expect:
                sent:
                  btp:
                    - { request: POST /Users, every: true, count: 2, absent: [password, id], headers: { Authorization: { matches: "^Bearer " } } }
                    - { request: POST /Users, body: { userName: b, origin: sap.custom } }
                    - { request: DELETE /Users/*, count: 0 }
        """)
        #expect(passing.steps[2].outcome.status == .passed, "\(passing.steps[2].outcome.message)")
        let failing = try await run(seed + """
          - run:
              source: directory
              expect:
                sent:
                  btp:
                    - { request: POST /Users, count: 3 }
                    - { request: POST /Users, body: { userName: b, active: false } }
                    - { request: DELETE /Users/*, every: true }
        """)
        let failed = failing.steps[2].outcome
        #expect(failed.status == .failed)
        let details = failed.details
        #expect(failed.message.contains("sent.btp[0] POST /Users: expected 3 matching, actual 2 of 2 sent"), "\(failed.message)")
        // The nearest miss: b, whose only difference is `active`.
        #expect(details.contains("sent.btp[1] POST /Users: expected >=1 matching, actual 0 of 2 sent (request #"), "\(details)")
        #expect(details.contains("body.active: expected false, actual true"), "\(details)")
        #expect(details.contains("sent.btp[2] DELETE /Users/*: expected every request to match, but none was sent"), "\(details)")
        #expect(details.contains("sent: {"), "the body sent, for the nearest miss")
    }

    @Test func aBurstChecksThatEvery429SaysWhenToRetry() async throws {
        let result = try await run("""
          - burst: { system: btp, path: /Users?count=1, requests: 20, concurrency: 4 }
          - fault: { fake: xsuaa, set: { method: GET, path: /Users, status: 429, retryAfter: 7, times: 5 } }
          - burst: { system: btp, path: /Users?count=1, requests: 20, concurrency: 4 }
          - fault: { fake: xsuaa, set: { method: GET, path: /Users, status: 429, times: 3 } }
          - burst: { system: btp, path: /Users?count=1, requests: 20, concurrency: 4 }
        """)
        #expect(result.steps[1].outcome.status == .skipped)
        #expect(result.steps[1].outcome.message.contains("20× 200: no 429, so the rate limit, if any, was not reached"), "\(result.steps[1].outcome.message)")
        #expect(result.steps[3].outcome.status == .passed, "\(result.steps[3].outcome.message)")
        #expect(result.steps[3].outcome.message.contains("15× 200, 5× 429: every 429 says when to retry (Retry-After 7)"), "\(result.steps[3].outcome.message)")
        #expect(result.steps[5].outcome.status == .failed)
        #expect(result.steps[5].outcome.message.contains("3 of 3 answers 429 have no Retry-After"), "\(result.steps[5].outcome.message)")
    }

    @Test(arguments: [("120", true), (" 0 ", true), ("Wed, 21 Oct 2015 07:28:00 GMT", true), ("soon", false), ("-1", false), ("", false), ("1.5", false)])
    func retryAfterIsSecondsOrAnHTTPDate(_ value: String, _ valid: Bool) {
        #expect(BurstStep.isRetryAfter(value) == valid)
    }

    @Test func theEngineSOwnRequestCountsAreChecked() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, data: { users: [{ userName: a, emails: [{ value: a@example.com }] }] } }
          - run: { source: directory, expect: { engine: { btp: { "201": 1, requests: ">=1", timeouts: 0, tokenRefreshes: 0 }, directory: { requests: ">=2" } } } }
          - run: { source: directory, expect: { engine: { btp: { requests: 5 }, nowhere: { requests: 0 } } } }
        """)
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.status == .failed)
        #expect(result.steps[3].outcome.details.contains("engine.btp.requests: expected 5, actual"), "\(result.steps[3].outcome.details)")
        #expect(result.steps[3].outcome.details.contains("engine.nowhere: no system named 'nowhere'"))
    }

    @Test func aCheckOfWhatWasSentNamesRequestsWhoseContentIsGone() throws {
        let journal = RequestJournal(capacity: 10, contentCapacity: 1)
        for _ in 1...3 {
            journal.record(method: "PUT", path: "/Groups/g", query: [:], status: 200, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: 0,
                           content: JournalContent(headers: [], body: Array(#"{"members":[]}"#.utf8)))
        }
        let node = ScenarioNode(node: try #require(try Yams.compose(yaml: "{ request: PUT /Groups/*, every: true }")), file: "s.yaml", field: "sent.x[0]")
        let check = try SentExpectation(node)
        let found = check.problems(journal.entries(), label: "sent.x[0]")
        #expect(found.problems == ["sent.x[0] PUT /Groups/*: 2 of 3 requests no longer have their headers and body in the journal (it keeps the newest 10000)"])
    }

    @Test func inFlightIsTheLargestCountTheFakeAdmittedAtOnce() {
        let journal = RequestJournal()
        for count in [1, 3, 2] {
            journal.record(method: "PUT", path: "/Users/1", query: [:], status: 200, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: 0, inFlight: count)
        }
        journal.record(method: "POST", path: "/oauth/token", query: [:], status: 200, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: 0)
        #expect(RequestTraffic(journal.entries(), timeScale: 1).measure(.inFlight) == 3)
        #expect(RequestTraffic([], timeScale: 1).measure(.inFlight) == 0)
        #expect(journal.entries().first?.json["inFlight"] == 1)
    }

    @Test func statisticsRowsCanBeExpectedAbsentAndRequestMeasuresTakeSeveralBounds() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, data: { users: [{ userName: a, emails: [{ value: a@example.com }] }, { userName: b, emails: [{ value: b@example.com }] }] } }
          - run:
              source: directory
              expect:
                statistics: { btp: { user: { created: 2 }, role: absent } }
                requests: { btp: { writes: [">=1", "<=2"], inFlight: [">=1", "<=8"] } }
          - change: { update: { user: a, set: { name: { givenName: A } } } }
          - run:
              source: directory
              expect:
                statistics: { btp: { user: absent, role: { updated: 0 } } }
                requests: { btp: { writes: [">=2", "<=3"] } }
        """)
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.message)")
        let wrong = result.steps[4].outcome
        #expect(wrong.status == .failed)
        for problem in [#"statistics.btp.user: expected "absent", actual"#, "statistics.btp.role: expected", "requests.btp.writes: expected >=2, actual 1"] {
            #expect(wrong.details.contains(problem), "\(problem) in \(wrong.details)")
        }
    }

    @Test func propertiesChangeMidScenarioKeepingTheStoreAndAreCheckedWhenTheyApply() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, data: { users: [{ userName: a, emails: [{ value: a@example.com }] }] } }
          - run: { source: directory, expect: { statistics: { btp: { user: { created: 1 } } } } }
          - properties: { system: btp, set: { xsuaa.origin: other } }
          - name: the store still knows a, so the next read updates nothing and creates nothing
            run: { source: directory, expect: { statistics: { btp: { user: { created: 0, updated: 0 } } } } }
          - properties: { system: nope, set: { a: b } }
        """)
        for index in 1...4 { #expect(result.steps[index].outcome.status == .passed, "step \(index): \(result.steps[index].outcome.message)") }
        #expect(result.steps[3].outcome.message == "btp: xsuaa.origin=other")
        #expect(result.steps[5].outcome.status == .error)
        #expect(result.steps[5].outcome.message.contains("no system named 'nope' (systems: directory, btp)"))
        let bad = try await run("""
          - properties: { system: btp, remove: [xsuaa.origin] }
          - properties: { system: btp, remove: [xsuaa.origin] }
        """)
        #expect(bad.steps[1].outcome.status == .passed, "\(bad.steps[1].outcome.message)")
        #expect(bad.steps[2].outcome.status == .error)
        #expect(bad.steps[2].outcome.message == "btp has no property 'xsuaa.origin' to remove")
    }

    @Test func jobLogOutcomeAndTriggerTypeAreChecked() async throws {
        let result = try await run("""
          - run: { source: directory, expect: { outcome: [], trigger: IMMEDIATE, triggeredBy: P000000 } }
          - run: { source: directory, trigger: scheduled, expect: { outcome: [nothing like this], trigger: IMMEDIATE, triggeredBy: P000000 } }
        """)
        #expect(result.steps[1].outcome.status == .passed, "\(result.steps[1].outcome.message)")
        let wrong = result.steps[2].outcome
        #expect(wrong.status == .failed)
        #expect(wrong.details.contains("outcome: expected a line containing 'nothing like this', actual none"), "\(wrong.details)")
        #expect(wrong.details.contains("trigger: expected IMMEDIATE, actual REPEAT"))
        #expect(wrong.details.contains("triggeredBy: expected P000000, actual none"))
    }

    @Test func refusedExpectsALoadErrorAndFailsWhenThingsLoadOrSaySomethingElse() async throws {
        let result = try await run("""
          - refused: { transformation: { user: { mappings: [{ sourcePath: $.a, targetPath: $.b, functions: [{ type: nope }] }] } }, error: nope }
          - refused: { systems: { d: { type: identity-directory, role: source, fake: identity-directory, properties: { ips.delta.read: maybe } } }, error: ips.delta.read }
          - refused: { transformation: builtin:xsuaa-read, error: anything }
          - refused: { transformation: { user: { mappings: [{ sourcePath: "$.a[", targetPath: $.b }] } }, error: "unknown function" }
        """)
        #expect(result.steps[1].outcome.status == .passed, "\(result.steps[1].outcome.message)")
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.status == .failed)
        #expect(result.steps[3].outcome.message == "the transformation loaded, but it must be refused with an error containing 'anything'")
        #expect(result.steps[4].outcome.status == .failed)
        #expect(result.steps[4].outcome.message == "the transformation is refused, but the error does not contain 'unknown function'")
        #expect(result.steps[4].outcome.details.contains("$.a["))
    }

    @Test func controlCallsAFakesControlAPIWithNamesForIDs() async throws {
        let result = try await run("""
          - seed: { fake: identity-directory, data: { users: [{ userName: ann, emails: [{ value: ann@example.com }] }] } }
          - control: { fake: identity-directory, method: GET, path: /_provsim/state, expect: { status: 200, matches: { "$.users[0].userName": "^ann$" } } }
          - control: { fake: xsuaa, method: GET, path: nothing-here }
          - control: { fake: identity-directory, method: POST, path: "users/{userName:nobody}/sign-in" }
        """)
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.status == .failed)
        #expect(result.steps[3].outcome.message == "xsuaa GET /_provsim/nothing-here: status: expected 200, actual 404")
        #expect(result.steps[4].outcome.status == .error)
        #expect(result.steps[4].outcome.message.hasSuffix("identity-directory has no user with userName 'nobody'"), "\(result.steps[4].outcome.message)")
    }

    @Test func aScenariosOwnAuthorizationIsSentAloneAndNeverShownNorAreSavedLineBreaksSent() async throws {
        let result = try await run("""
          - request:
              system: btp
              method: GET
              path: /Users
              headers: { Authorization: Bearer not-a-token }
              expect: { status: 401 }
          - request:
              system: btp
              method: POST
              path: /Users
              body: { userName: lin, origin: sap.custom, emails: [{ value: lin@example.com }], name: { givenName: "two\\nlines" } }
              expect: { status: 201 }
              save: { given: $.name.givenName }
          - request: { system: btp, method: GET, path: /Users, headers: { X-Given: "${given}" }, expect: { status: 200 } }
          - control: { fake: xsuaa, method: GET, path: "journal?after=1", expect: { status: 200, matches: { "$.entries[0].sequence": "^2$" } } }
        """)
        let bad = result.steps[1].outcome
        #expect(bad.status == .passed, "\(bad.message)")
        #expect(bad.transcript.contains("Authorization: (not shown)") && !bad.transcript.contains("not-a-token"), "\(bad.transcript)")
        #expect(result.steps[2].outcome.status == .passed, "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.status == .error)
        #expect(result.steps[3].outcome.message.hasSuffix("header X-Given: the value contains a line break after ${…} is filled in"), "\(result.steps[3].outcome.message)")
    }
}
