import ArgumentParser
import Foundation
import Report
import Scenario

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a service of your own against what IPS does with it.",
        subcommands: [SCIM.self]
    )

    struct SCIM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scim",
            abstract: "Drive a SCIM 2.0 service as IPS's SCIM connector does, and report what works.",
            discussion: """
            provsim's engine provisions users and groups from a directory into the service and \
            reads the service as a source, as IPS does: creates with POST, a create conflict (409) \
            resolved through the unique attribute and an eq filter, updates with PUT (or PATCH \
            with --property scim.support.patch.operation=true), a group above the member threshold \
            filled by PATCHes, membership changes, deletions, reads page by page with startIndex \
            and count, and a delta read with meta.lastModified gt. Each check is a test case of \
            the JUnit and HTML reports; a failure says which IPS behaviour breaks, with the \
            request and the answer in the job log. What the checks create is named with the run \
            ID and deleted at the end.

            Secrets: --client-secret, --token and --password may instead come from the \
            environment (PROVSIM_CHECK_CLIENT_SECRET, PROVSIM_CHECK_TOKEN, PROVSIM_CHECK_PASSWORD), \
            which keeps them out of the process list; no report shows them.

            Exit codes: 0 every check passed, 1 a check failed, 2 invalid options, 130 (143) \
            interrupted by Ctrl-C (SIGTERM), after the clean-up.

            Examples:
              provsim check scim --url https://scim.example/scim/v2 \\
                --token-url https://scim.example/oauth/token --client-id ips
              provsim check scim --url http://127.0.0.1:8080 \\
                --property scim.support.patch.operation=true
            """
        )

        @Option(name: .long, help: "The service's SCIM base URL (…/Users and …/Groups below it).")
        var url: String

        @Option(name: .customLong("token-url"), help: "OAuth token URL for client credentials (with --client-id).")
        var tokenURL: String?

        @Option(name: .customLong("client-id"), help: "OAuth client ID (with --token-url).")
        var clientId: String?

        @Option(name: .customLong("client-secret"), help: "OAuth client secret (default: $PROVSIM_CHECK_CLIENT_SECRET).")
        var clientSecret: String?

        @Option(name: .long, help: "A bearer token to send as it is (default: $PROVSIM_CHECK_TOKEN).")
        var token: String?

        @Option(name: .long, help: "A user for Basic authentication (password: --password or $PROVSIM_CHECK_PASSWORD).")
        var user: String?

        @Option(name: .long, help: "The Basic authentication password.")
        var password: String?

        @Option(name: .long, help: ArgumentHelp("A system property of the service, as IPS takes it (repeatable).", valueName: "name=value"))
        var property: [KeyValue] = []

        @Option(name: .long, help: "Also send this many GETs, 10 at a time, to reach the service's rate limit: every 429 must carry Retry-After (the check is skipped when no 429 comes). Off by default: it loads the service.")
        var burst: Int?

        @Option(name: .long, help: "Where to write the JUnit report.")
        var junit: String = "reports/check-scim.xml"

        @Option(name: .long, help: "Where to write the HTML report (default: check-scim.html next to the JUnit report).")
        var html: String?

        @OptionGroup var external: ExternalRunOptions

        /// The URL without trailing slashes (the connector appends `/Users`).
        var base: String {
            var trimmed = url
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return trimmed
        }

        static func describe(_ authentication: SCIMConformancePack.Authentication) -> String {
            switch authentication {
            case .clientCredentials: "with client credentials"
            case .bearerToken: "with a bearer token"
            case .basic: "with Basic authentication"
            case .none: "without credentials (give --token-url/--client-id, --token or --user to sign in)"
            }
        }

        func validate() throws {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ValidationError("--url: an http:// or https:// URL") }
            guard !url.contains("@") else { throw ValidationError("--url: credentials go in --client-secret, --token or --password (or the environment), not in the URL") }
            guard !url.contains("?"), !url.contains("#") else { throw ValidationError("--url: the SCIM base URL, without a query or fragment (…/Users is appended)") }
            if let tokenURL, !(tokenURL.hasPrefix("http://") || tokenURL.hasPrefix("https://")) { throw ValidationError("--token-url: an http:// or https:// URL") }
            if let burst, !SCIMConformancePack.burstRequests.contains(burst) { throw ValidationError("--burst: from \(SCIMConformancePack.burstRequests.lowerBound) to \(SCIMConformancePack.burstRequests.upperBound) requests") }
            if password != nil, user == nil { throw ValidationError("--password goes with --user") }
            if clientSecret != nil, tokenURL == nil { throw ValidationError("--client-secret goes with --token-url and --client-id") }
            if let owned = property.map(\.key).first(where: SCIMConformancePack.ownedProperties.contains) {
                throw ValidationError("--property \(owned): the check sets it (the URL and sign-in come from their options)")
            }
            if (tokenURL == nil) != (clientId == nil) { throw ValidationError("--token-url and --client-id go together") }
            if tokenURL != nil, token != nil || user != nil { throw ValidationError("give one way to sign in: --token-url/--client-id, --token or --user") }
            if token != nil, user != nil { throw ValidationError("give one way to sign in: --token-url/--client-id, --token or --user") }
        }

        /// The pack's sign-in and the environment its systems read.
        func signIn(_ environment: [String: String]) throws -> (SCIMConformancePack.Authentication, [String: String]) {
            typealias V = SCIMConformancePack.Variable
            var values = [V.url: base]
            func secret(_ option: String?, _ variable: String, _ flag: String) throws -> String {
                guard let value = option ?? environment[variable], !value.isEmpty else {
                    throw CommandFailure(code: 2, message: "\(flag): give it, or set \(variable)")
                }
                return value
            }
            if let tokenURL, let clientId {
                values[V.tokenURL] = tokenURL
                values[V.clientId] = clientId
                values[V.clientSecret] = try secret(clientSecret, V.clientSecret, "--client-secret")
                return (.clientCredentials, values)
            }
            if token != nil || environment[V.token] != nil, user == nil {
                values[V.token] = try secret(token, V.token, "--token")
                return (.bearerToken, values)
            }
            if let user {
                values[V.user] = user
                values[V.password] = try secret(password, V.password, "--password")
                return (.basic, values)
            }
            return (.none, values)
        }

        func run() async throws {
            try await exiting {
                let process = ProcessInfo.processInfo.environment
                let (authentication, values) = try signIn(process)
                let options = external.runOptions(environment: process.merging(values) { $1 })
                Terminal.print("check scim: \(base), signing in \(Self.describe(authentication)), run ID \(options.runId)")
                let pack = SCIMConformancePack(authentication: authentication, properties: property.dictionary, burst: burst)
                let scenario: Scenario
                do throws(ScenarioError) {
                    scenario = try pack.scenario()
                } catch {
                    throw CommandFailure(code: 2, message: error.description)
                }
                return try await ScenarioReports.run([scenario], with: ScenarioRunner(seed: 1, options: options), junit: junit,
                                                     html: html ?? ScenarioReports.path("check-scim.html", nextTo: junit))
            }
        }
    }
}
