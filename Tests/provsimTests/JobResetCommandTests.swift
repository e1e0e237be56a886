import Foundation
import JSON
import Testing

/// `provsim job reset`: IPS's system reset on a store file.
@Suite("provsim job reset")
struct JobResetCommandTests {
    @Test func forgetsTheRecordsOfOneSystemAndKeepsTheRest() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let store = directory.appendingPathComponent("store.json")
        try Data(#"""
        {"version": 1, "sources": {"directory": {"watermark": null, "hasRead": true, "deltaRunsSinceFull": 0}},
         "pairs": [{"source": "directory", "target": "btp", "user": {"a": {"targetIds": ["1"], "existedBefore": false, "hash": "1"}, "b": {"targetIds": ["2"], "existedBefore": false, "hash": "2"}}},
                   {"source": "directory", "target": "afc", "user": {"a": {"targetIds": ["x"], "existedBefore": false, "hash": "1"}}}]}
        """#.utf8).write(to: store)
        let r = try ProvsimProcess.run(["job", "reset", "--store", store.path, "--system", "btp"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "reset btp: 2 entity records forgotten\n")
        let after = try JSONParser.parse(Array(try Data(contentsOf: store)))
        #expect(after["pairs"]?.arrayValue?.compactMap { $0["target"]?.stringValue } == ["afc"])
        #expect(after["sources"]?["directory"]?["hasRead"] == true, "the source's own state stays")
    }

    @Test func aBrokenStoreExits2NamingTheFile() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let store = directory.appendingPathComponent("store.json")
        try Data("{".utf8).write(to: store)
        let r = try ProvsimProcess.run(["job", "reset", "--store", store.path, "--system", "btp"])
        #expect(r.status == 2)
        #expect(r.stderr.contains(store.path))
    }
}
