import Foundation
import Testing

/// `provsim check scim` on the command line: its options are checked before anything is sent,
/// and a secret it needs but lacks is named with the variable that would give it.
@Suite("provsim check scim options")
struct CheckCommandTests {
    @Test(arguments: [
        (["--url", "ftp://x"], "--url: an http:// or https:// URL"),
        (["--url", "http://127.0.0.1:9", "--token-url", "http://127.0.0.1:9/token"], "--token-url and --client-id go together"),
        (["--url", "http://127.0.0.1:9", "--token", "t", "--user", "u"], "give one way to sign in"),
        (["--url", "http://127.0.0.1:9", "--run-id", "r1"], "--run-id 'r1': at least 6 characters"),
        (["--url", "http://127.0.0.1:9/scim?x=1"], "--url: the SCIM base URL, without a query or fragment"),
        (["--url", "http://127.0.0.1:9", "--password", "p"], "--password goes with --user"),
        (["--url", "http://127.0.0.1:9", "--client-secret", "s"], "--client-secret goes with --token-url and --client-id"),
        (["--url", "http://127.0.0.1:9", "--property", "Password=x"], "--property Password: the check sets it"),
        (["--url", "http://127.0.0.1:9", "--token-url", "http://127.0.0.1:9/token", "--client-id", "c"], "--client-secret: give it, or set PROVSIM_CHECK_CLIENT_SECRET"),
    ])
    func badOptionsAreRefused(_ arguments: [String], _ message: String) throws {
        let result = try ProvsimProcess.run(["check", "scim"] + arguments, environment: ["PROVSIM_CHECK_CLIENT_SECRET": ""])
        #expect(result.status == 2, "\(result.status)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aTargetNoScenarioDeclaresIsRefused() throws {
        let result = try ProvsimProcess.run(["run", "scenarios/xsuaa/origin-filter.yaml", "--target", "nope=https://x.example", "--junit", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--target nope: no selected scenario declares a system named nope (systems: btp, directory)"), "\(result.stderr)")
    }
}
