import Fakes
import Foundation
import Hosting
import Testing
import Transformation
@testable import Scenario

/// Proof that the shipped suite can fail: every scenario in `scenarios/` is run once with
/// behaviour broken on purpose (a fake breaking its service's rule, an engine without pacing, a
/// property overridden, a transformation gone wrong), and the step that guards the broken
/// behaviour must fail with a message that names it.
@Suite("The shipped scenarios catch sabotage")
struct SabotageTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scenarios").path

    /// Runs `scenarios/<id>.yaml` under `sabotage`; checks that the step `step` failed (not
    /// errored) with `message` in its message or details, and returns the result.
    @discardableResult
    func expectCaught(_ id: String, _ sabotage: Sabotage, step: String, message: String,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> ScenarioResult {
        let loader = ScenarioLoader(sabotage: sabotage)
        let scenario = try loader.load(.init(file: "\(Self.scenarios)/\(id).yaml", id: id))
        // Fail fast: the steps after the one that catches the sabotage cannot change the verdict.
        // In process: the sabotage is in the fakes, the engine or the files, never in HTTP, and the
        // shipped suite runs over loopback in the CLI tests and `make run`.
        let result = await ScenarioRunner(seed: 1, failFast: true, transport: .inProcess).run(scenario)
        let passed = result.passed
        #expect(!passed, "\(id) passed despite the sabotage", sourceLocation: sourceLocation)
        guard let failed = result.steps.first(where: { $0.name == step }) else {
            Issue.record("\(id) has no step '\(step)' (steps: \(result.steps.map(\.name)))", sourceLocation: sourceLocation)
            return result
        }
        let status = failed.outcome.status
        #expect(status == .failed, "\(id) › \(step): \(status) \(failed.outcome.message)", sourceLocation: sourceLocation)
        let text = failed.outcome.message + "\n" + failed.outcome.details
        let named = text.contains(message)
        #expect(named, "\(id) › \(step) failed, but not with '\(message)':\n\(text.prefix(1500))", sourceLocation: sourceLocation)
        return result
    }

    static func builtin(_ name: String, replacing old: String, with new: String) -> [String: String] {
        let text = BuiltinTransformations.text(named: name)!
        if !text.contains(old) { Issue.record("the built-in \(name) no longer contains the text to sabotage: \(old)") }
        return ["builtin:\(name)": text.replacing(old, with: new, maxReplacements: 1)]
    }

    // MARK: Lifecycle

    @Test func onboardingNoticesCloudFoundryAcceptingASpaceRoleWithoutOrgUser() async throws {
        try await expectCaught("lifecycle/onboarding", Sabotage(fakeDefects: [.cfSpaceRoleWithoutOrgUser]),
                               step: "Cloud Foundry refuses a space role for a user outside the org", message: "status: expected 422, actual 201")
    }

    @Test func roleChangeNoticesAConnectorThatOrdersCloudFoundryRoles() async throws {
        // IPS writes group by group as the directory lists them, so the acme org user role goes
        // before the acme space role, which the Cloud Controller refuses; ordering hides that.
        try await expectCaught("lifecycle/role-change", Sabotage(properties: ["cf-platform-members": ["provsim.cf.role.order": "hierarchy"]]),
                               step: "the Read updates the memberships and rewrites only alice; CF refuses one removal",
                               message: "statistics.cf.group.failed: expected 1, actual 0")
    }

    @Test func offboardingNoticesExistedBeforeUsersBeingDeleted() async throws {
        // The deletion statistics catch it first (fail fast stops there); the end-state assertion
        // "XSUAA keeps bob and the existed-before erin" would catch it too.
        try await expectCaught("lifecycle/offboarding", Sabotage(properties: ["xsuaa": ["ips.delete.existedbefore.entities": "true"]]),
                               step: "the Read deletes alice everywhere and erin only in AFC; CF refuses the org group first",
                               message: "statistics.btp.user.deleted: expected 1, actual 2")
    }

    // MARK: Limits

    @Test func afcBurstNoticesAnEngineThatDoesNotPace() async throws {
        try await expectCaught("limits/afc-burst", Sabotage(pacing: false),
                               step: "the paced onboarding meets no 429", message: "requests.afc.rejected: expected 0, actual")
    }

    @Test func xsuaaBurstNoticesAnEngineThatDoesNotPace() async throws {
        // At 20 times real time the limit is 60 requests a second, which 32 writers exceed even on a saturated machine.
        try await expectCaught("limits/xsuaa-burst", Sabotage(pacing: false, timeScale: 20, properties: ["xsuaa": ["provsim.parallel.requests": "32"]]),
                               step: "the paced onboarding meets no 429", message: "requests.btp.rejected: expected 0, actual")
    }

    // MARK: Jobs

    @Test func deletionGuardsNoticeAMissingThreshold() async throws {
        try await expectCaught("jobs/deletion-guards", Sabotage(properties: ["xsuaa": ["ips.delete.threshold.users": "100"]]),
                               step: "three deletions exceed the threshold of 2, so none happens",
                               message: "statistics.btp.user.deleted: expected 0, actual 3")
    }

    @Test func workedExampleNoticesAWriteTransformationThatLosesTheOrigin() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("xsuaa-write", replacing: #"{ "constant": "%xsuaa.origin%", "targetPath": "$.origin" }"#,
                                                              with: #"{ "constant": "ldap", "targetPath": "$.origin" }"#))
        try await expectCaught("provisioning/worked-example", sabotage,
                               step: "users and the role collection are in XSUAA", message: #"no entry matches {"userName":"a","origin":"sap.custom"}"#)
    }

    @Test func cfRolesNoticeAConnectorThatOrdersRolesBetterThanIPS() async throws {
        try await expectCaught("provisioning/cf-roles", Sabotage(properties: ["cf-platform-members": ["provsim.cf.role.order": "hierarchy"]]),
                               step: "the space group comes first and Cloud Foundry refuses its roles",
                               message: "statistics.cf.group.created: expected 1, actual 2")
    }

    // MARK: XSUAA and AFC

    @Test func createConflictsNoticeXSUAAAcceptingDuplicateUserNames() async throws {
        try await expectCaught("xsuaa/create-conflicts", Sabotage(fakeDefects: [.uaaDuplicateUserNames]),
                               step: "the create conflicts, the search finds ann, the update overwrites her",
                               message: "statistics.btp.user.created: expected 0, actual 1")
    }

    @Test func multipleOriginsNoticeASingleOrigin() async throws {
        try await expectCaught("xsuaa/multiple-origins", Sabotage(properties: ["xsuaa": ["xsuaa.origin": "idp-employees"]]),
                               step: "max arrives once per origin, and the statistics say so", message: "statistics.btp.user.created: expected 2, actual 1")
    }

    @Test func skipCreateNoticesATargetSearchedByTheWrongAttribute() async throws {
        // Searched by an attribute the entity does not carry, the take-over fails instead of updating ann.
        try await expectCaught("xsuaa/skip-create", Sabotage(properties: ["xsuaa": ["xsuaa.user.unique.attribute": "externalId"]]),
                               step: "ann is found by userName and origin and updated; ben, whom XSUAA lacks, is skipped",
                               message: "statistics.btp.user.updated: expected 1, actual 0")
    }

    @Test func originFilterNoticesASourceThatReadsEveryOrigin() async throws {
        try await expectCaught("xsuaa/origin-filter", Sabotage(properties: ["xsuaa": ["xsuaa.origin.filter.enabled": "false"]]),
                               step: "only the users of the two listed origins are read and provisioned",
                               message: "statistics.btp.user.read: expected 2, actual 3")
    }

    @Test func forceCountNoticesManualRunsCounted() async throws {
        // With a count of 1 the second scheduled run (after one counted delta) is already full.
        try await expectCaught("jobs/full-read-force-count", Sabotage(properties: ["identity-directory": ["ips.full.read.force.count": "1"]]),
                               step: "scheduled delta 2 (with the manual run counted it would already be full)",
                               message: "readMode: expected Delta Read, actual Full Read")
    }

    @Test func caseSensitiveUserIdsNoticeAFCIgnoringCase() async throws {
        try await expectCaught("afc/case-sensitive-user-ids", Sabotage(fakeDefects: [.afcCaseInsensitiveUserIds]),
                               step: "IPS creates a second user instead of finding jdoe", message: "statistics.afc.user.created: expected 1, actual 0")
    }

    @Test func groupPrefixesNoticeAGroupConditionThatIgnoresThePrefix() async throws {
        let condition = "isAttributeWithOptionalPrefix($.displayName, s4hana.afc.group.prefix) && isAttributeWithOptionalPrefix($['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name'], s4hana.afc.group.prefix) && "
        try await expectCaught("afc/group-prefixes", Sabotage(transformations: Self.builtin("afc-write", replacing: condition, with: "")),
                               step: "two groups and two users reach AFC; Sales and kim are skipped",
                               message: "statistics.afc.group.created: expected 2, actual 3")
    }

    // MARK: Resilience

    @Test func tokenExpiryNoticesTokensThatNeverExpire() async throws {
        try await expectCaught("resilience/token-expiry", Sabotage(fakeDefects: [.tokensIgnoreLifetime]),
                               step: "the job renews its token and repeats the refused request", message: "requests.btp.tokens: expected >=3, actual")
    }

    @Test func transientFaultsNoticeARetriedCreateThatDuplicates() async throws {
        // The create that timed out was carried out; its retry must conflict, not duplicate.
        try await expectCaught("resilience/transient-faults", Sabotage(fakeDefects: [.uaaDuplicateUserNames]),
                               step: "XSUAA holds every user and role collection exactly once", message: "xsuaa users: expected 60, actual 61")
    }

    // MARK: Transformations

    @Test func languageFeaturesNoticeAConditionThatLetsWithdrawnEmployeesThrough() async throws {
        let path = "\(Self.scenarios)/transformations/fixtures/hr-source-read.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let old = "$.status != 'withdrawn' && "
        #expect(text.contains(old))
        try await expectCaught("transformations/language-features",
                               Sabotage(transformations: ["fixtures/hr-source-read.json": text.replacing(old, with: "", maxReplacements: 1)]),
                               step: "withdrawn employees are skipped with IPS's reason text", message: "the entity failed")
    }

    @Test func jaywayPathsNoticeAUnionReadAsAList() async throws {
        let path = "\(Self.scenarios)/transformations/fixtures/jayway-paths.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let old = "$.name['givenName','familyName']"
        #expect(text.contains(old))
        try await expectCaught("transformations/jayway-paths",
                               Sabotage(transformations: ["fixtures/jayway-paths.json": text.replacing(old, with: "$.name.*", maxReplacements: 1)]),
                               step: "a user through Jayway's rules", message: "displayParts")
    }

    @Test func xsuaaProxyReadNoticesOptionalEmails() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("xsuaa-proxy-read", replacing: "\"targetPath\": \"$.emails\",", with: "\"targetPath\": \"$.emails\", \"optional\": true,"))
        try await expectCaught("transformations/xsuaa-proxy-read", sabotage,
                               step: "a user without emails fails on the mandatory emails mapping", message: "expected the entity to be failed")
    }

    @Test func xsuaaProxyWriteNoticesAFixedOrigin() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("xsuaa-proxy-write", replacing: "\"constant\": \"%xsuaa.origin%\",", with: "\"constant\": \"ldap\","))
        try await expectCaught("transformations/xsuaa-proxy-write", sabotage,
                               step: "a new user gets the placeholder ID, the origin, a primary email and the SCIM 1.0 schema", message: "$.origin")
    }

    @Test func platformMembersProxyReadNoticesAMissingPrefix() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("cf-platform-members-proxy-read", replacing: "\"prefix\": \"%btp.cf.pm.group.prefix%\"", with: "\"prefix\": \"\""))
        try await expectCaught("transformations/platform-members-proxy-read", sabotage,
                               step: "an org role group gets the prefix, the custom name and userOnlyMembership", message: "$.displayName")
    }

    @Test func platformMembersProxyWriteNoticesUpdatesThatAreNotSkipped() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("cf-platform-members-proxy-write", replacing: "\"skipOperations\": [\n      \"update\"\n    ],", with: ""))
        try await expectCaught("transformations/platform-members-proxy-write", sabotage,
                               step: "updating a platform user is skipped with IPS's wording", message: "expected the entity to be skipped")
    }

    // MARK: Proxy and real time

    @Test func xsuaaProxyNoticesAReadThatIgnoresTheOriginFilter() async throws {
        try await expectCaught("hybrid/xsuaa-proxy", Sabotage(properties: ["xsuaa": ["xsuaa.origin.filter.enabled": "false"]]),
                               step: "the initial load advances by itemsPerPage and sees only the system's origin", message: "resources: expected 5, actual 6")
    }

    @Test func realTimeOnboardingNoticesATargetConditionThatIsNotApplied() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("xsuaa-write", replacing: "isValidEmail($.emails[0].value) && ", with: ""))
        try await expectCaught("realtime/onboarding", sabotage,
                               step: "a user XSUAA's write condition rejects is skipped with the condition as reason", message: "expected Entity Skipped, actual")
    }

    @Test func platformMembersProxyNoticesASpaceRoleWithoutTheOrgUser() async throws {
        try await expectCaught("hybrid/platform-members-proxy", Sabotage(fakeDefects: [.cfSpaceRoleWithoutOrgUser]),
                               step: "Cloud Foundry refuses a space role before the org user role, and the proxy passes it on", message: "status: expected 422, actual 200")
    }

    @Test func platformMembersProxyNoticesAConnectorThatRevokesSpaceRolesFirst() async throws {
        try await expectCaught("hybrid/platform-members-proxy", Sabotage(properties: ["cf-platform-members": ["provsim.cf.role.order": "hierarchy"]]),
                               step: "deleting the user revokes its roles in Cloud Foundry's order; the org user role is refused",
                               message: "status: expected 422, actual 204")
    }

    @Test func applicationGroupsNoticeATargetTransformationThatLosesTheGroupExtension() async throws {
        let sabotage = Sabotage(transformations: Self.builtin("identity-directory-write", replacing: #"{ "type": "remove", "targetPath": "$.meta" },"#,
                                                              with: #"{ "type": "remove", "targetPath": "$.meta" }, { "type": "remove", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']" },"#))
        try await expectCaught("identity-directory/application-groups", sabotage,
                               step: "readOnly is skipped, readWrite created, userOnlyMembership updates the existing group",
                               message: "statistics.directory.group.created: expected 1, actual")
    }

    /// Every shipped scenario has a test above: a new scenario without one fails here.
    @Test func everyShippedScenarioHasASabotageTest() throws {
        let covered: Set<String> = [
            "lifecycle/onboarding", "lifecycle/role-change", "lifecycle/offboarding", "limits/afc-burst", "limits/xsuaa-burst",
            "jobs/deletion-guards", "jobs/full-read-force-count", "provisioning/worked-example", "provisioning/cf-roles", "xsuaa/create-conflicts",
            "xsuaa/multiple-origins", "xsuaa/skip-create", "xsuaa/origin-filter", "afc/case-sensitive-user-ids", "afc/group-prefixes", "resilience/token-expiry",
            "resilience/transient-faults", "transformations/language-features", "transformations/jayway-paths", "transformations/xsuaa-proxy-read",
            "transformations/xsuaa-proxy-write", "transformations/platform-members-proxy-read", "transformations/platform-members-proxy-write",
            "hybrid/xsuaa-proxy", "hybrid/platform-members-proxy", "realtime/onboarding", "identity-directory/application-groups",
        ]
        let shipped = Set(try ScenarioLoader().scenarioFiles(in: [Self.scenarios]).map(\.id))
        #expect(shipped.subtracting(covered).isEmpty, "scenarios without a sabotage test: \(shipped.subtracting(covered).sorted())")
        #expect(covered.subtracting(shipped).isEmpty, "sabotage tests for missing scenarios: \(covered.subtracting(shipped).sorted())")
    }
}
