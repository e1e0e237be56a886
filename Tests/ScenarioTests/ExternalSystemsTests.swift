import Fakes
import Foundation
import Hosting
import JSON
import Report
import Testing
@testable import Scenario

/// Systems that are not fakes: a scenario reaches a separately started service (here a fleet of
/// provsim's fakes on loopback, standing in for a real one) only through its public API, takes
/// its secrets from the environment, and leaves nothing behind.
@Suite("Scenarios against systems that are not fakes", .serialized)
struct ExternalSystemsTests {
    /// A service started apart from the scenario, and the environment that reaches it.
    struct Service {
        let fleet: FakeFleet
        let host: FakeHost
        let environment: [String: String]
        let secret: String

        static func start(_ name: String = "identity-directory") async throws -> Service {
            var configuration = FakeFleetConfiguration()
            configuration.services = [name]
            configuration.seed = 99
            let fleet = try await FakeFleet.start(configuration)
            let host = try #require(fleet.host(named: name))
            let properties = try #require(fleet.connection(service: name)).systemProperties
            let secret = try #require(properties["Password"])
            return Service(fleet: fleet, host: host, environment: [
                "EXT_URL": try #require(properties["URL"]), "EXT_CLIENT": try #require(properties["User"]), "EXT_SECRET": secret,
                "EXT_TOKEN_URL": try #require(properties["OAuth2TokenServiceURL"]),
            ], secret: secret)
        }

        func users() -> [JSONValue] { host.service.state(context: host.context)["users"]?.arrayValue ?? [] }
        func groups() -> [JSONValue] { host.service.state(context: host.context)["groups"]?.arrayValue ?? [] }
    }

    static let systems = """
    steps:
      - systems:
          timeScale: 100
          systems:
            hr: { type: identity-directory, role: source, fake: identity-directory, targets: [ext] }
            ext:
              type: identity-directory
              role: target
              properties: { URL: "${env:EXT_URL}", User: "${env:EXT_CLIENT}", Password: "${env:EXT_SECRET}", OAuth2TokenServiceURL: "${env:EXT_TOKEN_URL}" }

    """

    /// The service's credentials as properties of a system, from the environment.
    static let credentials = #"{ User: "${env:EXT_CLIENT}", Password: "${env:EXT_SECRET}", OAuth2TokenServiceURL: "${env:EXT_TOKEN_URL}" }"#

    /// Runs `yaml` with the system `target` sent to the service.
    func runTargeted(_ yaml: String, _ service: Service, target: String, runId: String) async throws -> ScenarioResult {
        let scenario = try ScenarioYAML.load(yaml, file: "targeted.yaml")
        let options = RunOptions(targets: [target: try #require(service.environment["EXT_URL"])], environment: service.environment, runId: runId)
        return await ScenarioRunner(seed: 1, options: options).run(scenario)
    }

    func run(_ steps: String, _ service: Service, runId: String = "run001", cleanUp: Bool = true, targets: [String: String] = [:]) async throws -> ScenarioResult {
        let scenario = try ScenarioYAML.load(Self.systems + steps, file: "external.yaml")
        let options = RunOptions(targets: targets, environment: service.environment, runId: runId, cleanUp: cleanUp)
        return await ScenarioRunner(seed: 1, options: options).run(scenario)
    }

    @Test func seedsChangesAndAssertionsGoThroughThePublicAPIAndEverythingCreatedIsDeleted() async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        // Real data the scenario must neither count nor touch.
        _ = try service.host.service.seed(["users": [["userName": "someone-real", "emails": [["value": "r@example.com"]]]]], context: service.host.context)
        let result = try await run("""
          - seed: { system: hr, data: { users: [{ userName: "${run}-alice", emails: [{ value: alice@example.com }] }, { userName: "${run}-bob", emails: [{ value: bob@example.com }] }] } }
          - seed: { system: ext, data: { users: [{ userName: "${run}-carol", emails: [{ value: carol@example.com }] }], groups: [{ displayName: "${run}-Team", members: ["${run}-carol"] }] } }
          - run: { source: hr, expect: { statistics: { ext: { user: { created: 2, failed: 0 } } } } }
          - change: { system: ext, update: { user: "${run}-carol", set: { displayName: Carol } } }
          - change: { system: ext, move: { user: "${run}-alice", to: "${run}-Team" } }
          - assert:
              system: ext
              count: { users: 3, groups: 1 }
              contains: { users: [{ userName: "${run}-carol", displayName: Carol }, { userName: "${run}-alice" }] }
              members: { "${run}-Team": ["${run}-carol", "${run}-alice"] }
        """, service)
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message) \(step.outcome.details)") }
        #expect(result.steps.last?.name == "clean up external systems")
        #expect(result.steps.last?.outcome.message == "deleted 4 entities the scenario created in external systems")
        #expect(service.users().map { $0["userName"] } == ["someone-real"], "only the real data is left")
        #expect(service.groups().isEmpty)
        let report = JUnitXMLWriter.xml([result].junitReport()) + HTMLReportWriter.html([result].htmlReport(timestamp: "t", duration: 1))
        #expect(!report.contains(service.secret), "the secret from the environment is in no report")
    }

    @Test func whatWasCreatedIsDeletedWhenAStepFailsOrErrs() async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await run("""
          - seed: { system: ext, data: { users: [{ userName: "${run}-dave", emails: [{ value: dave@example.com }] }] } }
          - assert: { system: ext, count: { users: 5 } }
          - change: { system: ext, delete: { user: nobody } }
          - seed: { system: ext, data: { users: [{ userName: never }] } }
        """, service)
        #expect(result.steps[2].outcome.status == .failed)
        #expect(result.steps[2].outcome.message.contains("ext users of those named with the run ID run001: expected 5, actual 1"), "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.status == .error)
        #expect(result.steps[3].outcome.message == "ext has no user with userName 'nobody'")
        #expect(result.steps[4].outcome.status == .skipped)
        #expect(result.steps.last?.outcome.status == .passed)
        #expect(service.users().isEmpty)
    }

    @Test func keepCreatedLeavesThemAndSaysSo() async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await run("""
          - seed: { system: ext, data: { users: [{ userName: "${run}-erin", emails: [{ value: erin@example.com }] }] } }
        """, service, runId: "keep01", cleanUp: false)
        #expect(result.steps.last?.outcome.transcript.contains("kept 1 entities in ext (--keep-created)") == true)
        #expect(service.users().map { $0["userName"] } == ["keep01-erin"])
    }

    @Test func aTargetSendsAFakeSystemToTheServiceAndStepsNamingTheFakeFollowIt() async throws {
        let service = try await Service.start("afc")
        defer { Task { await service.fleet.stop() } }
        let result = try await runTargeted("""
        steps:
          - systems:
              timeScale: 100
              systems:
                hr: { type: identity-directory, role: source, fake: identity-directory, targets: [afc] }
                afc: { type: afc, role: target, fake: afc, properties: \(Self.credentials) }
          - seed: { fake: identity-directory, data: { users: [{ userName: "${run}-fay", emails: [{ value: fay@example.com }] }] } }
          - run: { source: hr, expect: { statistics: { afc: { user: { created: 1 } } } } }
          - assert: { fake: afc, count: { users: 1 }, contains: { users: [{ userName: "${run}-fay" }] } }
          - fault: { fake: afc, set: { status: 503 } }
        """, service, target: "afc", runId: "target1")
        let url = try #require(service.environment["EXT_URL"])
        #expect(result.steps[0].outcome.transcript.contains("afc external \(url)") || result.steps[0].outcome.message.contains("afc external"), "\(result.steps[0].outcome)")
        for step in result.steps.prefix(4) { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message)") }
        #expect(result.steps[4].outcome.status == .error)
        #expect(result.steps[4].outcome.message.contains("fault needs a fake, and 'afc' stood for afc → \(url) (--target): a real service cannot be given faults"), "\(result.steps[4].outcome.message)")
        #expect(service.users().isEmpty, "cleaned up")
    }

    @Test func cleanUpLeavesAloneWhatDoesNotCarryTheRunID() async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await run("""
          - seed: { system: ext, data: { users: [{ userName: "${run}-gil", emails: [{ value: gil@example.com }] }] } }
          - change: { system: ext, rename: { user: "${run}-gil", to: gilbert } }
        """, service)
        let cleanUp = try #require(result.steps.last)
        #expect(cleanUp.outcome.status == .passed)
        #expect(cleanUp.outcome.message == "deleted 0 entities the scenario created in external systems; 1 not deleted on purpose (see the transcript)")
        #expect(cleanUp.outcome.transcript.contains("not deleted: ext user 'gilbert': its name does not carry the run ID run001, so it is left alone"), "\(cleanUp.outcome.transcript)")
        #expect(service.users().map { $0["userName"] } == ["gilbert"])
    }

    @Test func aFakeThatStillStandsForAnotherSystemStaysAFake() async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await runTargeted("""
        steps:
          - systems:
              timeScale: 100
              systems:
                hr: { type: identity-directory, role: source, fake: identity-directory, targets: [ias] }
                ias: { type: identity-directory, role: target, fake: identity-directory, properties: \(Self.credentials) }
          - seed: { fake: identity-directory, data: { users: [{ userName: "${run}-hal", emails: [{ value: hal@example.com }] }] } }
          - assert: { fake: identity-directory, count: { users: 1 } }
          - assert: { system: ias, count: { users: 0 } }
          - fault: { fake: identity-directory, clear: true }
          - run: { source: hr, expect: { statistics: { ias: { user: { created: 1 } } } } }
          - assert: { system: ias, count: { users: 1 } }
        """, service, target: "ias", runId: "shared1")
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message)") }
        #expect(service.users().isEmpty)
    }

    /// A Cloud Foundry landscape started apart (its UAA and Cloud Controller), with organization
    /// `acme` (space `dev`) whose manager is the provisioning user, and a real platform user who
    /// is an `organization_user` there.
    struct Landscape {
        let fleet: FakeFleet
        let cf: FakeHost
        var environment: [String: String]

        static func start() async throws -> Landscape {
            var configuration = FakeFleetConfiguration()
            configuration.services = ["uaa", "cf"]
            let fleet = try await FakeFleet.start(configuration)
            let cf = try #require(fleet.host(named: "cf"))
            _ = try cf.service.seed(["organizations": [["name": "acme", "guid": "org-1", "spaces": [["name": "dev", "guid": "space-1"]]]]], context: cf.context)
            _ = try cf.service.seed(["roles": [["type": "organization_user", "user": ["username": "real@example.com", "origin": "acme-platform"], "organization": "acme"]]], context: cf.context)
            let properties = try #require(fleet.connection(service: "cf")).systemProperties
            return Landscape(fleet: fleet, cf: cf, environment: ["CF_URL": properties["URL"] ?? "", "CF_USER": properties["User"] ?? "", "CF_PASSWORD": properties["Password"] ?? ""])
        }

        /// User name → role names, as the Cloud Controller holds them.
        func roles() -> [String: Set<String>] { AssertStep.roleSets(cf.service.state(context: cf.context)) }

        func run(_ steps: String, runId: String, cleanUp: Bool = true) async throws -> ScenarioResult {
            let scenario = try ScenarioYAML.load("""
            steps:
              - systems:
                  timeScale: 100
                  systems:
                    directory: { type: identity-directory, role: source, fake: identity-directory, targets: [cf] }
                    cf:
                      type: cf-platform-members
                      role: target
                      properties: { URL: "${env:CF_URL}", User: "${env:CF_USER}", Password: "${env:CF_PASSWORD}", btp.cf.pm.origin: acme-platform, btp.cf.pm.landscape: cf-eu10 }
            \(steps)
            """, file: "cf.yaml")
            return await ScenarioRunner(seed: 1, options: RunOptions(environment: environment, runId: runId, cleanUp: cleanUp)).run(scenario)
        }
    }

    @Test func cloudFoundryUsersAndRolesAreSeededAssertedAndRemovedThroughTheV3API() async throws {
        let landscape = try await Landscape.start()
        defer { Task { await landscape.fleet.stop() } }
        let result = try await landscape.run("""
          - seed:
              system: cf
              data:
                users: [{ username: "${run}-bob@example.com" }]
                roles:
                  - { type: organization_user, user: { username: "${run}-bob@example.com" }, organization: acme }
                  - { type: space_developer, user: { username: "${run}-bob@example.com" }, organization: acme, space: dev }
                  - { type: organization_auditor, user: { username: "${run}-carl@example.com", origin: acme-platform }, organization: org-1 }
                  - { type: space_auditor, user: { username: real@example.com }, organization: org-1, space: space-1 }
          - seed:
              system: directory
              data:
                users: [{ userName: "${run}-ann", emails: [{ value: ann@example.com }] }]
                groups:
                  - displayName: "CF:acme:organization_billing_manager"
                    urn:sap:cloud:scim:schemas:extension:custom:2.0:Group: { name: org-1 organization_billing_manager }
                    members: [{ userName: "${run}-ann" }]
          - run: { source: directory, expect: { statistics: { cf: { user: { failed: 0 }, group: { failed: 0 } } } } }
          - assert:
              system: cf
              count: { users: 3 }
              roles:
                "${run}-ann": [organization_billing_manager acme]
                "${run}-bob@example.com": [organization_user acme, space_developer acme/dev]
                "${run}-carl@example.com": [organization_auditor acme]
                real@example.com: [organization_user acme, space_auditor acme/dev]
        """, runId: "cfrun1")
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message) \(step.outcome.details)") }
        #expect(result.steps[1].outcome.message == "created 2 users and 4 roles in cf through its API", "\(result.steps[1].outcome.message)")
        let cleanUp = try #require(result.steps.last)
        #expect(cleanUp.name == "clean up external systems")
        // Space roles went before organization_user (Cloud Foundry refuses the other order).
        let transcript = cleanUp.outcome.transcript
        let spaceRole = try #require(transcript.range(of: "deleted cf role space_developer acme/dev of cfrun1-bob@example.com"), "\(transcript)")
        let orgUser = try #require(transcript.range(of: "deleted cf role organization_user acme of cfrun1-bob@example.com"), "\(transcript)")
        #expect(spaceRole.lowerBound < orgUser.lowerBound)
        #expect(transcript.contains("deleted cf role organization_billing_manager acme of cfrun1-ann"), "\(transcript)")
        // The provisioning user manages the organization and may not delete users; the real
        // user keeps its roles, the one the scenario gave it included (its name lacks the run ID;
        // Cloud Foundry includes no organization for a space role, so its GUID names it).
        #expect(transcript.contains("deleting a Cloud Foundry user needs an admin (403"), "\(transcript)")
        #expect(transcript.contains("role space_auditor org-1/dev of real@example.com: its user's name does not carry the run ID cfrun1, so it is left alone"), "\(transcript)")
        let left = landscape.roles()
        #expect(left.keys.filter { $0.contains("cfrun1") }.isEmpty, "\(left)")
        #expect(left["real@example.com"] == ["organization_user acme", "space_auditor acme/dev"])
    }

    @Test func withAnAdminSCredentialsTheCleanUpDeletesTheCloudFoundryUsersToo() async throws {
        let landscape = try await Landscape.start()
        defer { Task { await landscape.fleet.stop() } }
        let uaa = try #require(landscape.fleet.host(named: "uaa"))
        _ = try uaa.service.seed(["users": [[
            "userName": "platform-admin@example.com", "password": "admin-pw-123", "origin": "uaa", "emails": [["value": "platform-admin@example.com"]],
            "scopes": ["openid", "cloud_controller.admin", "cloud_controller.read", "cloud_controller.write"],
        ]]], context: uaa.context)
        var admin = landscape
        admin.environment["CF_USER"] = "platform-admin@example.com"
        admin.environment["CF_PASSWORD"] = "admin-pw-123"
        let result = try await admin.run("""
          - seed: { system: cf, data: { roles: [{ type: organization_user, user: { username: "${run}-ada" }, organization: acme }, { type: space_manager, user: { username: "${run}-ada" }, organization: acme, space: dev }] } }
          - assert: { system: cf, roles: { "${run}-ada": [organization_user acme, space_manager acme/dev] } }
        """, runId: "cfadmin1")
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message) \(step.outcome.details)") }
        // Deleting the user took its roles along: no role deletion was left to do.
        #expect(result.steps.last?.outcome.transcript == "deleted cf user cfadmin1-ada", "\(result.steps.last?.outcome.transcript ?? "")")
        let users = landscape.cf.service.state(context: landscape.cf.context)["users"]?.arrayValue ?? []
        #expect(!users.contains { $0["username"]?.stringValue == "cfadmin1-ada" }, "\(users)")
        #expect(landscape.roles()["cfadmin1-ada"] == nil)
    }

    @Test func aCloudFoundryRoleThatCannotBeDeletedFailsTheCleanUpAndKeepCreatedKeepsThem() async throws {
        let landscape = try await Landscape.start()
        defer { Task { await landscape.fleet.stop() } }
        let seed = """
          - seed: { system: cf, data: { roles: [{ type: organization_auditor, user: { username: "${run}-max" }, organization: acme }] } }
        """
        let kept = try await landscape.run(seed, runId: "cfkeep1", cleanUp: false)
        #expect(kept.steps.last?.outcome.status == .passed)
        #expect(kept.steps.last?.outcome.transcript == "not deleted: kept 1 user named with the run ID in cf, with their roles (--keep-created)")
        #expect(landscape.roles()["cfkeep1-max"] == ["organization_auditor acme"])

        landscape.cf.faults.add(try FaultRule(json: ["method": "DELETE", "path": "/v3/roles/*", "status": 503, "times": 1], defaultID: "stuck"))
        let stuck = try await landscape.run(seed, runId: "cfstuck1")
        let cleanUp = try #require(stuck.steps.last)
        #expect(cleanUp.outcome.status == .failed)
        #expect(cleanUp.outcome.message.hasPrefix("the clean-up of external systems left a problem (see the transcript); the first: cf role organization_auditor acme of cfstuck1-max: DELETE /v3/roles/"), "\(cleanUp.outcome.message)")
        #expect(cleanUp.outcome.message.contains("→ 503"), "\(cleanUp.outcome.message)")
        #expect(landscape.roles()["cfstuck1-max"] == ["organization_auditor acme"])

        // A deletion that answers success but leaves the role is caught by listing again.
        landscape.cf.faults.add(try FaultRule(json: ["method": "DELETE", "path": "/v3/roles/*", "status": 204, "times": 1], defaultID: "pretend"))
        let pretended = try await landscape.run(seed, runId: "cfpretend1")
        #expect(pretended.steps.last?.outcome.status == .failed)
        #expect(pretended.steps.last?.outcome.message == "the clean-up of external systems left a problem (see the transcript); the first: cf role organization_auditor acme of cfpretend1-max: still listed after its deletion",
                "\(pretended.steps.last?.outcome.message ?? "")")
    }

    @Test func cloudFoundrySeedsAndChangesThatTheV3APICannotTakeAreRefused() async throws {
        let landscape = try await Landscape.start()
        defer { Task { await landscape.fleet.stop() } }
        let refusals: [(step: String, message: String)] = [
            ("- seed: { system: cf, data: { organizations: [{ name: acme2 }] } }", "organizations cannot be seeded through the CF V3 API (an organization manager cannot create them"),
            ("- seed: { system: cf, data: { provisioningUser: false } }", "unknown seed key 'provisioningUser' for cf, a Cloud Foundry system (users, roles) (provisioningUser is a fake's"),
            ("- seed: { system: cf, data: { roles: [{ type: organization_user, user: { username: \"${run}-x\" }, organization: nowhere }] } }", "roles[0]: cf shows no organization named 'nowhere' or with that GUID to its credentials"),
            ("- seed: { system: cf, data: { roles: [{ type: space_developer, user: { username: \"${run}-x\" }, organization: acme, space: prod }] } }", "roles[0]: cf shows no space named 'prod' or with that GUID in organization org-1"),
            ("- seed: { system: cf, data: { roles: [{ type: space_developer, user: { username: \"${run}-x\" }, organization: acme, space: dev }] } }", "roles[0]: cf refused the role: POST /v3/roles → 422: CF-UnprocessableEntity: Users cannot be assigned roles in a space if they do not have a role in that space's organization."),
            ("- seed: { system: cf, data: { roles: [{ type: owner, user: \"some-guid\", organization: acme, colour: red }] } }", "roles[0]: unknown key 'colour' (type, user, organization, space)"),
            ("- change: { system: cf, delete: { user: \"${run}-x\" } }", "cf is a Cloud Foundry system: change does not apply to it"),
        ]
        for (index, refusal) in refusals.enumerated() {
            let result = try await landscape.run("  " + refusal.step, runId: "cfrefused\(index)")
            let step = try #require(result.steps.dropFirst().first)
            #expect(step.outcome.status == .error, "\(refusal.step)")
            #expect(step.outcome.message.contains(refusal.message), "\(refusal.step): \(step.outcome.message)")
            if index == 4 {
                // The user the refused role was for was created first; without a role the
                // organization manager cannot see it any more, and the clean-up says so.
                #expect(result.steps.last?.outcome.transcript.contains("1 user the scenario created is not deleted: not named with the run ID, or invisible to these credentials") == true,
                        "\(result.steps.last?.outcome.transcript ?? "")")
            }
        }
        #expect(landscape.roles().keys.filter { $0.contains("cfrefused") }.isEmpty, "\(landscape.roles())")
    }

    @Test func aRunIdIsFoundOnlyAsAWholeToken() {
        #expect("p1a2b3c4-alice".carriesRunId("p1a2b3c4"))
        #expect("x-p1a2b3c4".carriesRunId("p1a2b3c4"))
        #expect("AFC_build-12-Closers".carriesRunId("build-12"))
        #expect(!"build-123".carriesRunId("build-12"), "another run's ID")
        #expect(!"rebuild-12".carriesRunId("build-12"))
        #expect("rebuild-12 build-12".carriesRunId("build-12"), "a later occurrence counts")
        #expect(RunOptions.problem(withRunId: "r1") != nil && RunOptions.problem(withRunId: "run 01x") != nil && RunOptions.problem(withRunId: "ci-run-7") == nil)
    }

    @Test func credentialsAreHiddenInEveryStepOutcome() {
        let outcome = StepOutcome.failed("401 for s3cr3t-value", details: "sent s3cr3t-value", transcript: "Bearer s3cr3t-value").hiding(["s3cr3t-value"])
        #expect(outcome.message == "401 for (secret)" && outcome.details == "sent (secret)" && outcome.transcript == "Bearer (secret)")
        var secrets: [String] = []
        let systems: JSONValue = ["systems": ["ext": ["properties": ["Password": "${env:PW}", "URL": "${env:URL}", "User": "${env:API_TOKEN}"]]]]
        _ = ExternalSystems.substituting(systems, secrets: &secrets) { ["PW": "pw-value", "URL": "https://x.example", "API_TOKEN": "tok-value"][$0] }
        #expect(secrets.sorted() == ["pw-value", "tok-value"], "by the property's name or the variable's")
    }

    @Test(arguments: [
        ("  - advance: { seconds: 10 }", "advance moves simulated time, which ext (not a fake) does not follow"),
        ("  - seed: { system: nowhere, data: { users: [] } }", "no system named 'nowhere'"),
    ])
    func stepsOnlyFakesCanTakeAreRefused(_ step: String, _ message: String) async throws {
        let service = try await Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await run(step + "\n", service)
        #expect(result.steps[1].outcome.status == .error)
        #expect(result.steps[1].outcome.message.contains(message), "\(result.steps[1].outcome.message)")
    }

    @Test func aMissingEnvironmentVariableIsNamedWithItsProperty() async throws {
        let scenario = try ScenarioYAML.load(Self.systems + "  - seed: { system: ext, data: { users: [] } }\n", file: "env.yaml")
        let result = await ScenarioRunner(seed: 1, options: RunOptions(environment: [:], runId: "x")).run(scenario)
        #expect(result.steps[0].outcome.status == .error)
        #expect(result.steps[0].outcome.message.contains("systems.ext.properties.URL: the environment variable EXT_URL is not set"), "\(result.steps[0].outcome.message)")
    }

    @Test(arguments: [
        ("URL: \"${env:}\"", "an environment variable's name is letters, digits and _"),
        ("URL: \"${env:EXT_URL\"", "'${env:' without a closing '}'"),
    ])
    func malformedReferencesAreRefusedWhenLoading(_ property: String, _ message: String) {
        let yaml = """
        steps:
          - systems: { systems: { ext: { type: scim, role: target, properties: { \(property) } } } }
        """
        let error = #expect(throws: ScenarioError.self) { try ScenarioYAML.load(yaml, file: "bad.yaml") }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func environmentFilesAndTargetVariables() throws {
        let values = try EnvironmentFile.parse("""
        # secrets for CI
        export EXT_SECRET="s3 cr3t"
        PROVSIM_TARGET_btp=https://uaa.example
        EMPTY=

        """, file: "ci.env")
        #expect(values == ["EXT_SECRET": "s3 cr3t", "PROVSIM_TARGET_btp": "https://uaa.example", "EMPTY": ""])
        #expect(EnvironmentFile.targets(in: values) == ["btp": "https://uaa.example"])
        let noValue = #expect(throws: ScenarioError.self) { try EnvironmentFile.parse("JUST TEXT", file: "ci.env") }
        #expect(noValue?.description == "ci.env:1: expected NAME=VALUE")
        let badName = #expect(throws: ScenarioError.self) { try EnvironmentFile.parse("ok=1\n9x=2", file: "ci.env") }
        #expect(badName?.description.hasPrefix("ci.env:2: '9x' is not a variable name") == true, "\(String(describing: badName))")
        // Windows line endings: "\r\n" is one Swift Character, and still ends a line.
        #expect(try EnvironmentFile.parse("A=1\r\nPROVSIM_TARGET_identity-directory=http://x\r\n\r\nB='2'\r\n", file: "ci.env")
                    == ["A": "1", "PROVSIM_TARGET_identity-directory": "http://x", "B": "2"])
        let crlfBadName = #expect(throws: ScenarioError.self) { try EnvironmentFile.parse("ok=1\r\n9x=2\r\n", file: "ci.env") }
        #expect(crlfBadName?.description.hasPrefix("ci.env:2: '9x' is not a variable name") == true)
    }
}
