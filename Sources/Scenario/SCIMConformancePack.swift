import JSON

/// `provsim check scim`: a scenario that drives a SCIM 2.0 service exactly as IPS's SCIM
/// connector does (provsim's engine, reference sections 2 and 8), so that a team with its own
/// service learns what IPS will do against it. Each step names the IPS behaviour it checks; a
/// failure shows the job log, with the request and the answer that broke it.
///
/// The service is the system `service` (a target written from a directory, `hr`) and `reader`
/// (the same service read as a source). Its URL and credentials come from the environment
/// (`PROVSIM_CHECK_*`), so they never appear in the scenario or a report.
public struct SCIMConformancePack: Sendable {
    /// How the checks sign in at the service.
    public enum Authentication: Sendable, Equatable {
        /// OAuth client credentials at a token URL (`PROVSIM_CHECK_CLIENT_ID`, `…_CLIENT_SECRET`, `…_TOKEN_URL`).
        case clientCredentials
        /// A fixed bearer token (`PROVSIM_CHECK_TOKEN`).
        case bearerToken
        /// Basic authentication (`PROVSIM_CHECK_USER`, `PROVSIM_CHECK_PASSWORD`).
        case basic
        /// None (a service on a closed network).
        case none
    }

    /// Environment variables the pack's systems read.
    public enum Variable {
        public static let url = "PROVSIM_CHECK_URL"
        public static let clientId = "PROVSIM_CHECK_CLIENT_ID"
        public static let clientSecret = "PROVSIM_CHECK_CLIENT_SECRET"
        public static let tokenURL = "PROVSIM_CHECK_TOKEN_URL"
        public static let token = "PROVSIM_CHECK_TOKEN"
        public static let user = "PROVSIM_CHECK_USER"
        public static let password = "PROVSIM_CHECK_PASSWORD"
    }

    /// Groups above this many members are created without them and filled by PATCHes of at most
    /// this many (`scim.patch.group.members.above.threshold`), so that the pack's group of five
    /// takes two.
    public static let membersThreshold = 3

    /// Properties the pack sets itself: the connection, and the member threshold its checks rely on.
    public static let ownedProperties: Set<String> = [
        "URL", "Authentication", "User", "Password", "OAuth2TokenServiceURL", "ips.http.header.Authorization", "scim.patch.group.members.above.threshold",
    ]

    public var authentication: Authentication
    /// System properties of the service that change IPS's behaviour (`scim.support.patch.operation`,
    /// `scim.user.unique.attribute`, `scim.content.type` …).
    public var properties: [String: String]
    /// How many requests the rate-limit check may send.
    public static var burstRequests: ClosedRange<Int> { BurstStep.requestRange }

    /// Requests of the rate-limit check (`burst`), or nil to leave it out: it loads the service.
    public var burst: Int?

    public init(authentication: Authentication, properties: [String: String] = [:], burst: Int? = nil) {
        self.authentication = authentication
        self.properties = properties
        self.burst = burst
    }

    /// The pack as a scenario (file name `check-scim.yaml`).
    public func scenario() throws(ScenarioError) -> Scenario {
        try ScenarioLoader().load(yaml: yaml, entry: .init(file: "check-scim.yaml", id: "check-scim"))
    }

    /// The directory's default read transformation without its own SAP extension and schemas,
    /// so that the service receives SCIM 2.0 core attributes only (the SCIM write transformation
    /// sets the core schema).
    static let coreOnlyRead = """
    { user: { mappings: [{ sourcePath: $, targetPath: $ }, { sourcePath: $.id, targetVariable: entityIdSourceSystem }, \
    { sourcePath: $.userName, correlationAttribute: true }, { type: remove, targetPath: $.id }, { type: remove, targetPath: $.meta }, \
    { type: remove, targetPath: $.schemas }, { type: remove, targetPath: "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']" }] }, \
    group: { mappings: [{ sourcePath: $, targetPath: $ }, { sourcePath: $.id, targetVariable: entityIdSourceSystem }, \
    { type: remove, targetPath: $.id }, { type: remove, targetPath: $.meta }, { type: remove, targetPath: $.schemas }] } }
    """

    /// The rate-limit check, when asked for: skipped (with the counts) when no 429 comes.
    private var burstStep: String {
        guard let burst else { return "" }
        return """
          - name: "when the service limits its rate, each 429 says when to retry (Retry-After), which IPS waits: \(burst) requests, 10 at a time"
            burst: { system: service, path: "/Users?count=1", requests: \(burst), concurrency: 10 }

        """
    }

    private var connection: [(String, String)] {
        var p = [("URL", "${env:\(Variable.url)}")]
        switch authentication {
        case .clientCredentials:
            p += [("User", "${env:\(Variable.clientId)}"), ("Password", "${env:\(Variable.clientSecret)}"), ("OAuth2TokenServiceURL", "${env:\(Variable.tokenURL)}")]
        case .bearerToken:
            p += [("Authentication", "NoAuthentication"), ("ips.http.header.Authorization", "Bearer ${env:\(Variable.token)}")]
        case .basic:
            p += [("Authentication", "BasicAuthentication"), ("User", "${env:\(Variable.user)}"), ("Password", "${env:\(Variable.password)}")]
        case .none:
            p += [("Authentication", "NoAuthentication")]
        }
        return p
    }

    private func flow(_ pairs: [(String, String)]) -> String {
        "{ " + pairs.map { "\(JSONWriter().string(.string($0.0))): \(JSONWriter().string(.string($0.1)))" }.joined(separator: ", ") + " }"
    }

    var yaml: String {
        let service = connection + [("scim.patch.group.members.above.threshold", String(Self.membersThreshold))]
            + properties.sorted { $0.key < $1.key }.filter { !Self.ownedProperties.contains($0.key) }
        let headers = properties.filter { $0.key.hasPrefix("ips.http.header.") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let reader = connection + headers + [("provsim.page.size", "2"), ("ips.delta.read", "enabled"),
                                   ("scim.user.filter", "userName sw \"${run}\""), ("scim.group.filter", "displayName sw \"${run}\"")]
        func user(_ n: Int) -> String { "{ userName: \"${run}-u\(n)\", name: { givenName: User, familyName: \"No \(n)\" }, emails: [{ value: \"u\(n).${run}@example.com\" }] }" }
        return """
        name: SCIM 2.0 service, driven as IPS's SCIM connector drives it
        description: >
          provsim's engine writes into the service from a directory and reads it as a source, the way
          IPS's SCIM connector does. Each step names the IPS behaviour it checks; what the checks
          create is named with the run ID and deleted at the end.
        steps:
          - name: a directory that provisions into the service, and the service read as a source
            systems:
              timeScale: 100
              systems:
                hr: { type: identity-directory, role: source, fake: identity-directory, targets: [service], transformation: \(Self.coreOnlyRead) }
                service: { type: scim, role: target, properties: \(flow(service)) }
                reader: { type: scim, role: source, properties: \(flow(reader)) }
          - name: five users and a group of two in the directory
            seed:
              system: hr
              data:
                users: [\((1...5).map(user).joined(separator: ", "))]
                groups: [{ displayName: "${run}-Readers", members: [{ userName: "${run}-u1" }, { userName: "${run}-u2" }] }]
          - name: IPS creates users and groups with POST /Users and POST /Groups and keeps the id of each answer
            run:
              source: hr
              expect: { status: Success, statistics: { service: { user: { created: 5, failed: 0 }, group: { created: 1, failed: 0 } } } }
          - name: the service keeps what IPS wrote (userName, emails, group members by id)
            assert:
              system: service
              count: { users: 5, groups: 1 }
              contains: { users: [{ userName: "${run}-u1", emails: [{ value: "u1.${run}@example.com" }] }] }
              members: { "${run}-Readers": ["${run}-u1", "${run}-u2"] }
          - name: a user whose userName does not start with the run ID, which the filters must leave out
            seed: { system: service, data: { users: [{ userName: "x-${run}", emails: [{ value: "x.${run}@example.com" }] }] } }
          - name: "the service pages a filtered list as IPS reads it: count=2 from startIndex=3 of the 5 users whose userName starts with the run ID"
            request:
              system: service
              method: GET
              path: "/Users?filter=userName%20sw%20%22${run}%22&startIndex=3&count=2"
              expect:
                status: 200
                body: { totalResults: 5, startIndex: 3, itemsPerPage: 2 }
                matches: { "$.Resources.length()": "^2$" }
          - name: IPS reads a source page by page (startIndex advances, count=2) with the filters userName sw and displayName sw
            run:
              source: reader
              expect:
                status: Success
                readMode: Full Read
                statistics: { reader: { user: { read: 5, failed: 0 }, group: { read: 1, failed: 0 } } }
                engine: { reader: { requests: 4 } }     # users in pages of 2 from startIndex 1, 3, 5; groups in one
          - name: u2's name changes in the directory
            change: { system: hr, update: { user: "${run}-u2", set: { name: { givenName: Changed, familyName: "No 2" } } } }
          - name: IPS updates a changed user with PUT /Users/{id} (PATCH with scim.support.patch.operation)
            run:
              source: hr
              expect: { status: Success, statistics: { service: { user: { created: 0, updated: 1, failed: 0 } } } }
          - name: the service holds the new name
            assert: { system: service, contains: { users: [{ userName: "${run}-u2", name: { givenName: Changed } }] } }
          - name: a delta read asks for meta.lastModified gt the newest change it has seen, and gets only the changed user
            description: A service that keeps lastModified in whole seconds can miss a change made within the second of the last read.
            run:
              source: reader
              expect: { status: Success, readMode: Delta Read, statistics: { reader: { user: { read: 1, failed: 0 }, group: { read: 0, failed: 0 } } }, engine: { reader: { requests: 2 } } }
          - name: a user that exists in the service already, with another name
            seed: { system: service, data: { users: [{ userName: "${run}-u6", name: { givenName: Old, familyName: Entry }, emails: [{ value: "old.${run}@example.com" }] }] } }
          - name: the same user arrives in the directory
            seed: { system: hr, data: { users: [\(user(6))] } }
          - name: a create that conflicts (409) is resolved through the unique attribute, found with filter userName eq and updated
            run:
              source: hr
              expect: { status: Success, statistics: { service: { user: { created: 0, updated: 1, failed: 0 } } }, engine: { service: { "409": 1 } } }
          - name: the user found through the conflict now has the directory's values
            assert: { system: service, count: { users: 7 }, contains: { users: [{ userName: "${run}-u6", name: { familyName: "No 6" } }] } }
          - name: a group of five, more than the threshold of \(Self.membersThreshold)
            seed: { system: hr, data: { groups: [{ displayName: "${run}-Big", members: [\((1...5).map { "{ userName: \"${run}-u\($0)\" }" }.joined(separator: ", "))] }] } }
          - name: IPS creates a large group without members and adds them with PATCH in batches of \(Self.membersThreshold)
            run:
              source: hr
              expect: { status: Success, statistics: { service: { group: { created: 1, failed: 0 } } } }
          - name: the large group has all five members
            assert: { system: service, members: { "${run}-Big": [\((1...5).map { "\"${run}-u\($0)\"" }.joined(separator: ", "))] } }
          - name: u3 joins the group of two in the directory
            change: { system: hr, move: { user: "${run}-u3", to: "${run}-Readers" } }
          - name: IPS writes a changed membership (PUT with the whole member list, or PATCH)
            run:
              source: hr
              expect: { status: Success, statistics: { service: { group: { updated: 1, failed: 0 } } } }
          - name: the group has its three members
            assert: { system: service, members: { "${run}-Readers": ["${run}-u1", "${run}-u2", "${run}-u3"] } }
          - name: u3 leaves the directory
            change: { system: hr, delete: { user: "${run}-u3" } }
          - name: IPS deletes a user that left the source with DELETE /Users/{id}, and takes it out of both groups (the large one by PATCH remove)
            run:
              source: hr
              expect: { status: Success, statistics: { service: { user: { deleted: 1, failed: 0 }, group: { failed: 0 } } } }
          - name: the deleted user is gone, and neither group lists it
            assert:
              system: service
              absent: { users: [{ userName: "${run}-u3" }] }
              members: { "${run}-Readers": ["${run}-u1", "${run}-u2"], "${run}-Big": ["${run}-u1", "${run}-u2", "${run}-u4", "${run}-u5"] }
          - name: the group of three leaves the directory
            change: { system: hr, delete: { group: "${run}-Readers" } }
          - name: IPS deletes a group that left the source with DELETE /Groups/{id}
            run:
              source: hr
              expect: { status: Success, statistics: { service: { group: { deleted: 1, failed: 0 } } } }
          - name: the deleted group is gone
            assert: { system: service, count: { groups: 1 }, absent: { groups: [{ displayName: "${run}-Readers" }] } }
          - name: ten years pass on IPS's clock, so every token it holds has expired (the service keeps its own time)
            advance: { seconds: 315360000, engineAhead: true }
          - name: u1's name changes in the directory
            change: { system: hr, update: { user: "${run}-u1", set: { name: { givenName: Renewed, familyName: "No 1" } } } }
          - name: IPS renews its expired token with a new client-credentials request, and the service accepts the new token
            description: With a fixed bearer token (--token) there is nothing to renew; the step then checks that the token still works.
            run:
              source: hr
              expect: { status: Success, statistics: { service: { user: { updated: 1, failed: 0 } } } }
        \(burstStep)
        """
    }
}
