import Engine
import Fakes
import Foundation
import Hosting
import JSON
import Testing
import Transformation

/// Retries, pacing under published limits, token refresh, and what the job log may show.
@Suite("Retries, pacing and tokens")
struct ResilienceTests {
    private func directoryTo(_ type: String, fake: String, properties: String) -> String {
        #"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["t"]},
          "t": {"type": "\#(type)", "role": "target", "fake": "\#(fake)", "properties": {\#(properties)}}
        }}
        """#
    }

    private static let names = (1...40).map { "user\($0)" }

    @Test func xsuaaPacingAvoids429AndWithoutPacingThe429sAreRetried() async throws {
        // nil: the default, unpaced for XSUAA (IPS retries XSUAA's 429s, so it meets them).
        for pacing in [true, false, nil] as [Bool?] {
            // At 5x real time XSUAA admits 15 requests a second: 24 parallel writers exceed that
            // even on a saturated machine, and paced ones keep 660 ms of queue slack.
            let h = try await EngineHarness.start(["identity-directory", "xsuaa"], timeScale: 5)
            try await h.seedDirectory(users: Self.names)
            let engine = try h.engine(directoryTo("xsuaa", fake: "xsuaa", properties: #""xsuaa.origin": "sap.custom", "provsim.parallel.requests": "24", "ips.failed.request.retry.attempts": "3""#), pacing: pacing)
            var store = OperationalStore()
            let log = await engine.run(source: "directory", job: .read, store: &store)
            let requests = try #require(log.requests.first { $0.system == "t" }?.metrics)
            #expect(log.row(.user, "t").created == 40, "pacing \(String(describing: pacing)): \(log.text())")
            #expect(try await h.xsuaaState().users.count == 40)
            if pacing ?? false {
                #expect(requests.tooManyRequests == 0)
            } else {
                #expect(requests.tooManyRequests > 0)
                #expect(requests.retries >= requests.tooManyRequests)
            }
        }
    }

    @Test func afcPacingKeepsThreeInFlightAndWithoutIt429sFailEntitiesUntilARerun() async throws {
        // nil: the default, paced for AFC (its limits are hard and its 429s are not retried).
        for pacing in [true, false, nil] as [Bool?] {
            let h = try await EngineHarness.start(["identity-directory", "afc"], timeScale: 20)
            try await h.seedDirectory(users: Self.names)
            // Each request takes a while (100 ms, long against a busy machine's own delays), so
            // that unpaced requests overlap beyond three.
            try h.host("afc").faults.add(FaultRule(id: "slow", effect: .latency(milliseconds: 100, jitter: 0)))
            let engine = try h.engine(directoryTo("afc", fake: "afc", properties: #""provsim.parallel.requests": "16""#), pacing: pacing)
            var store = OperationalStore()
            let log = await engine.run(source: "directory", job: .read, store: &store)
            let requests = try #require(log.requests.first { $0.system == "t" }?.metrics)
            if pacing ?? true {
                #expect(requests.tooManyRequests == 0)
                #expect(log.status == .success, "\(log.text())")
            } else {
                // IPS does not retry 429 on AFC writes: the entities fail, a rerun converges.
                #expect(requests.tooManyRequests > 0)
                #expect(log.row(.user, "t").failed == requests.tooManyRequests)
                let paced = try h.engine(directoryTo("afc", fake: "afc", properties: ""), pacing: true)
                let rerun = await paced.run(source: "directory", job: .read, store: &store)
                #expect(rerun.status == .success, "\(rerun.text())")
            }
            let afc = try await h.state("afc")
            #expect(afc["users"]?.arrayValue?.count == 40)
        }
    }

    @Test func aTokenAnAdvancedClockExpiredIsRenewedBeforeItIsSent() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryToXSUAA)
        var store = OperationalStore()
        _ = await engine.run(source: "directory", job: .read, store: &store)
        try h.addUser("b")
        // Thirteen simulated hours later the XSUAA token (12 h) has expired, for the fake and,
        // on the same clock, for the engine: it asks for a new one instead of sending the old.
        h.simulation.clock.advance(seconds: 13 * 3600)
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        let xs = try #require(log.requests.first { $0.system == "btp" }?.metrics)
        #expect(xs.byStatus[401] == nil && xs.tokenRefreshes == 0)
        #expect(try h.host("xsuaa").journal.entries(after: 0).filter { $0.path == "/oauth/token" }.count == 2)
    }

    @Test func aTokenTheServiceRejectsIsRefreshedOnce() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryToXSUAA)
        try h.host("xsuaa").faults.add(FaultRule(id: "revoked", method: "POST", path: "/Users", effect: .status(401, retryAfter: nil, body: nil), times: 1))
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        let xs = try #require(log.requests.first { $0.system == "btp" }?.metrics)
        #expect(xs.tokenRefreshes == 1)
        #expect(xs.byStatus[401] == 1)
    }

    private func retryCase(_ fault: FaultRule, properties: String = "") async throws -> (JobLog, EngineHarness) {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        try h.host("xsuaa").faults.add(fault)
        // A timeout no ordinary request reaches on a busy machine; the timeout case is a `hang`
        // fault, which only the client's timeout ends.
        let engine = try h.engine(directoryTo("xsuaa", fake: "xsuaa", properties: #""xsuaa.origin": "sap.custom", "ips.failed.request.retry.attempts.interval": "1", "provsim.request.timeout": "5""# + properties))
        var store = OperationalStore()
        return (await engine.run(source: "directory", job: .read, store: &store), h)
    }

    @Test(arguments: [
        ("429 on a write", FaultRule(id: "f", method: "POST", path: "/Users", effect: .status(429, retryAfter: nil, body: nil), times: 2), true),
        ("connection reset", FaultRule(id: "f", method: "POST", path: "/Users", effect: .reset, times: 1), true),
        ("timeout", FaultRule(id: "f", method: "POST", path: "/Users", effect: .hang, times: 1), true),
        ("503 is not retried", FaultRule(id: "f", method: "POST", path: "/Users", effect: .status(503, retryAfter: nil, body: nil), times: 1), false),
        ("502 on POST is not retried", FaultRule(id: "f", method: "POST", path: "/Users", effect: .status(502, retryAfter: nil, body: nil), times: 1), false),
        ("429 three times exhausts two retries", FaultRule(id: "f", method: "POST", path: "/Users", effect: .status(429, retryAfter: nil, body: nil), times: 3), false),
    ])
    func retriesFollowIPSMatrix(_ name: String, _ fault: FaultRule, _ succeeds: Bool) async throws {
        let (log, h) = try await retryCase(fault)
        #expect((log.status == .success) == succeeds, "\(name): \(log.text())")
        // A timed-out create may have been carried out: its retry then conflicts and the user is
        // taken over (updated) instead of created. Either way it arrives exactly once.
        let row = log.row(.user, "t")
        #expect(row.created + row.updated == (succeeds ? 1 : 0), "\(name)")
        #expect(try await h.xsuaaState().users.count == (succeeds ? 1 : 0), "\(name)")
    }

    @Test func a502OnXSUAAPatchIsRetried() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryTo("xsuaa", fake: "xsuaa", properties: #""xsuaa.origin": "sap.custom", "xsuaa.support.patch.operation": "true", "ips.failed.request.retry.attempts.interval": "1""#))
        var store = OperationalStore()
        _ = await engine.run(source: "directory", job: .read, store: &store)
        try h.changeUser("a") { $0["name"] = .object(JSONObject([("givenName", "New")])) }
        try h.host("xsuaa").faults.add(FaultRule(id: "f", method: "PATCH", path: "/Users/*", effect: .status(502, retryAfter: nil, body: nil), times: 1))
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        #expect(log.row(.user, "t").updated == 1)
        #expect(log.requests.first { $0.system == "t" }?.metrics.retries == 1)
    }

    @Test func credentialsNeverAppearInTheJobLog() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let secret = try #require(h.simulation.connectionProperties(service: "xsuaa")?["Password"])
        // Right credentials, then a wrong secret that the token endpoint refuses.
        var goodStore = OperationalStore()
        let good = try await h.engine(directoryToXSUAA).run(source: "directory", job: .read, store: &goodStore)
        let wrong = directoryToXSUAA.replacingOccurrences(of: #""xsuaa.origin": "sap.custom""#, with: #""xsuaa.origin": "sap.custom", "Password": "wrong-\#(secret)""#)
        var store = OperationalStore()
        let bad = try await h.engine(wrong).run(source: "directory", job: .read, store: &store)
        #expect(bad.status == .finishedWithError)
        #expect(bad.failedEntities.first?.message?.contains("401") == true)
        for log in [good, bad] {
            let text = log.text() + log.json.serialized()
            #expect(!text.contains(secret))
            #expect(!text.contains("Bearer"))
        }
    }
}

@Suite("Systems and properties")
struct SystemsTests {
    private func load(_ text: String) throws(SystemsError) -> SystemsConfiguration {
        let json: JSONValue
        do throws(JSONParseError) { json = try JSONParser.parse(text) } catch { throw SystemsError(field: "", message: "the test's systems text is not JSON: \(error)") }
        return try SystemsConfiguration(json: json, loadFile: { (path) throws(SystemsError) -> String in
            throw SystemsError(field: "transformation", message: "cannot read \(path)")
        })
    }

    private func error(_ properties: String, type: String = "xsuaa", role: String = "target") -> String {
        do {
            _ = try load(#"{"systems": {"s": {"type": "\#(type)", "role": "\#(role)", "properties": {\#(properties)}}}}"#)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func unknownNamesAndWrongValuesAreReported() {
        #expect(error(#""xsuaa.orign": "x""#) == "systems.s.properties.xsuaa.orign: unknown property 'xsuaa.orign' for a xsuaa system")
        #expect(error(#""ips.delete.threshold.users": "1,000""#) == "systems.s.properties.ips.delete.threshold.users: value '1,000' must be a whole number without separators")
        #expect(error(#""ips.failed.request.retry.attempts": "5""#).contains("must be between 0 and 3"))
        #expect(error(#""Authentication": "basicauthentication""#).contains("(case-sensitive)"))
        #expect(error(#""ips.delta.read": "enabled""#).contains("does not apply to a target system"))
        #expect(error(#""s4hana.afc.group.prefix": "AFC_""#) == "systems.s.properties.s4hana.afc.group.prefix: unknown property 's4hana.afc.group.prefix' for a xsuaa system")
        #expect(error(#""URL": "ftp://x""#).contains("is not an http(s) URL"))
        #expect(error(#""xsuaa.origin": "a", "scim.user.unique.attribute": "userName""#) == "no error")
        #expect(error(#""ips.http.header.X-Trace": "1""#) == "no error")
        // Documented CSRF and member-attribute properties load (not needed by the fakes).
        #expect(error(#""scim.api.csrf.protection": "disabled", "scim.csrf.token.path": "/csrf", "csrf.token.path": "/x", "xsuaa.group.members.additional.attributes": "origin""#) == "no error")
        #expect(error(#""Authentication": "ClientCertificateAuthentication""#).contains("not simulated by provsim"))
        #expect(error(#""ips.failed.request.retry.attempts.interval": "55""#).contains("between 0 and 50 for an XSUAA system"))
        #expect(error(#""ips.failed.request.retry.attempts.interval": "50""#) == "no error")
    }

    @Test func propertiesProvsimDoesNotSimulateAreNamed() throws {
        let systems = try load(#"{"systems": {"s": {"type": "afc", "role": "target", "properties": {"scim.support.bulk.operation": "true", "TrustAll": "true", "s4hana.afc.user.unique.attribute": "userName"}}}}"#)
        #expect(systems["s"]?.properties.notSimulated == ["TrustAll", "scim.support.bulk.operation"])
    }

    @Test func aCredentialIsNeverEchoed() {
        // Password takes any text; other problems never quote it either.
        #expect(error(#""Password": "s3cret", "OAuth2TokenServiceURL": "nope""#).contains("nope"))
        #expect(!error(#""Password": "s3cret", "OAuth2TokenServiceURL": "nope""#).contains("s3cret"))
    }

    @Test func systemSpecificPropertiesWinOverScim() throws {
        let systems = try load(#"{"systems": {"s": {"type": "afc", "role": "target", "properties": {"scim.user.unique.attribute": "emails[0].value", "s4hana.afc.user.unique.attribute": "userName"}}}}"#)
        #expect(systems["s"]?.properties.scim("user.unique.attribute") == "userName")
    }

    @Test func aTenantHoldsAtMost20SourcesAnd50Targets() {
        func message(sources: Int, targets: Int) -> String {
            let entries = (0..<sources).map { #""s\#($0)": {"type": "identity-directory", "role": "source", "properties": {"URL": "http://x"}}"# }
                + (0..<targets).map { #""t\#($0)": {"type": "afc", "role": "target", "properties": {"URL": "http://x"}}"# }
            do { _ = try load(#"{"systems": {\#(entries.joined(separator: ", "))}}"#); return "no error" } catch { return error.description }
        }
        #expect(message(sources: 20, targets: 50) == "no error")
        #expect(message(sources: 21, targets: 1) == "systems: 21 source systems: IPS allows at most 20 per tenant (more only through an SAP ticket)")
        #expect(message(sources: 1, targets: 51).contains("at most 50"))
    }

    @Test func linksAndTypesAreChecked() {
        func message(_ text: String) -> String {
            do { _ = try load(text); return "no error" } catch { return error.description }
        }
        #expect(message(#"{"systems": {"s": {"type": "identity-directory", "role": "source", "targets": ["t"]}}}"#) == "systems.s.targets[0]: no system named 't' (known: s)")
        #expect(message(#"{"systems": {"s": {"type": "ldap", "role": "source"}}}"#).hasPrefix("systems.s.type: unknown type 'ldap'"))
        #expect(message(#"{"systems": {"s": {"type": "afc", "role": "target", "transformation": "builtin:nope"}}}"#) == "systems.s.transformation: cannot read builtin:nope")
        #expect(message(#"{"systems": {"s": {"type": "afc", "role": "target", "fake": "afc"}}}"#).contains("'fake:' connects to a fake started by a scenario"))
    }

    @Test func theStoreSurvivesAFileRoundTrip() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a", "b"], groups: [("G", ["a"])])
        var store = OperationalStore()
        _ = try await h.engine(directoryToXSUAA).run(source: "directory", job: .read, store: &store)
        let path = "/tmp/provsim-store-\(UInt32.random(in: 0...UInt32.max)).json"
        defer { unlink(path) }
        try store.save(path: path)
        let loaded = try OperationalStore.load(path: path)
        #expect(loaded == store)
        // A second engine (a later command) sees the earlier run and changes nothing.
        var again = loaded
        let log = try await h.engine(directoryToXSUAA).run(source: "directory", job: .read, store: &again)
        #expect(log.row(.user, "btp").created == 0 && log.row(.group, "btp").created == 0)
    }
}
