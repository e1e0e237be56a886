import Hosting
import JSON
import Testing

/// What the journal keeps of a request's headers and body, and for how many requests.
@Suite("Journal content")
struct JournalContentTests {
    static func record(_ journal: RequestJournal, headers: [(String, String)] = [], body: String = "", path: String = "/Users") -> JournalEntry {
        journal.record(method: "POST", path: path, query: [:], status: 201, latency: 1, clientId: nil, fault: nil, timestamp: 0, simulatedTime: 0,
                       content: JournalContent(headers: headers.map { ($0.0.lowercased(), $0.1) }, body: Array(body.utf8)))
    }

    @Test func credentialsKeepOnlyTheirSchemeAndSecretMembersAreHidden() throws {
        let entry = Self.record(RequestJournal(), headers: [("Authorization", "Bearer eyJ.secret.token"), ("Cookie", "session=abc"), ("If-Match", "*")],
                                body: #"{"userName":"jdoe","password":"pw1","x":[{"clientSecret":"s","value":1}],"nested":{"api_key":"k"}}"#)
        let content = try #require(entry.content)
        #expect(content.header("Authorization") == "Bearer ***")
        #expect(content.header("cookie") == "***")
        #expect(content.header("if-match") == "*")
        #expect(content.json == ["userName": "jdoe", "password": "***", "x": [["clientSecret": "***", "value": 1]], "nested": ["api_key": "***"]])
        let shown = JSONWriter().string(entry.json(content: true))
        for secret in ["eyJ.secret.token", "abc", "pw1", "\"s\"", "\"k\""] { #expect(!shown.contains(secret), "\(secret) in \(shown)") }
        #expect(entry.json["content"] == nil, "content only when asked")
    }

    @Test func formFieldsThatNameSecretsAreHiddenEvenPercentEncoded() throws {
        let entry = Self.record(RequestJournal(), headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                body: "grant_type=client_credentials&client%5Fsecret=s3cr3t&password=p&client_id=c", path: "/oauth/token")
        let content = try #require(entry.content)
        #expect(content.json == nil)
        #expect(content.text == "grant_type=client_credentials&client%5Fsecret=***&password=***&client_id=c")
    }

    @Test func longBodiesAreCutAndNotReadAsJSON() throws {
        let long = "[" + Array(repeating: "1", count: JournalContent.bodyLimit).joined(separator: ",") + "]"
        let content = try #require(Self.record(RequestJournal(), body: long).content)
        #expect(content.isBodyCut && content.bodySize == long.utf8.count)
        #expect(content.json == nil)
        #expect(content.text.hasSuffix("…") && content.text.utf8.count == JournalContent.bodyLimit + "…".utf8.count)
        #expect(content.controlJSON["bodySize"] == JSONValue(long.utf8.count))
    }

    @Test func onlyTheNewestRequestsKeepTheirContent() {
        let journal = RequestJournal(capacity: 100, contentCapacity: 3)
        for i in 1...10 { _ = Self.record(journal, body: #"{"n":\#(i)}"#) }
        let entries = journal.entries()
        #expect(entries.count == 10)
        #expect(entries.map { $0.content != nil } == Array(repeating: false, count: 7) + [true, true, true])
        #expect(entries.last?.content?.json == ["n": 10])
    }
}
