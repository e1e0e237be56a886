import JSON
import Testing

@Suite("Raw JSON scanner")
struct RawJSONScannerTests {
    private func scan(_ text: String) -> (accepted: Bool, members: [(String, String)]) {
        let scanner = RawJSONScanner()
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            let accepted = scanner.scan(buffer)
            return (accepted, scanner.members.map { (String(decoding: bytes[$0.key], as: UTF8.self), String(decoding: bytes[$0.value], as: UTF8.self)) })
        }
    }

    @Test func acceptsCompactObjectsAndFindsTheRootMembers() {
        let r = scan(#"{"a":1,"b":{"c":[true,false,null,-0.5e+3]},"é":1}"#)
        #expect(!r.accepted, "non-ASCII keys are refused")
        let ok = scan(#"{"a":1,"b":{"c":[true,false,null,-0.5e+3]},"s":"é😀"}"#)
        #expect(ok.accepted)
        #expect(ok.members.map(\.0) == ["a", "b", "s"])
        #expect(ok.members.map(\.1) == ["1", #"{"c":[true,false,null,-0.5e+3]}"#, #""é😀""#])
        #expect(scan("{}").accepted && scan("{}").members.isEmpty)
    }

    @Test(arguments: [
        #"{"a": 1}"#, #"{"a":1 }"#, " {\"a\":1}", #"{"a":"\n"}"#, #"{"a":"\u0041"}"#, #"{"a":1,"a":2}"#, #"{"a":{"b":1,"b":1}}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":tru}"#, #"{"a":1,}"#, #"[1]"#, #""a""#, #"{"a":1}x"#, #"{"a":[1,]}"#,
        "{\"a\":\"\u{1}\"}", #"{"a""#, "{",
    ])
    func refusesWhatTheWriterWouldNotReproduce(_ text: String) {
        #expect(!scan(text).accepted)
    }

    @Test func refusesMalformedUTF8AndDeepNesting() {
        for bytes: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] {
            let text = Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)
            #expect(!text.withUnsafeBufferPointer { RawJSONScanner().scan($0) }, "\(bytes)")
        }
        let deep = "{\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
        #expect(!scan(deep).accepted)
        let shallow = "{\"a\":" + String(repeating: "[", count: 60) + String(repeating: "]", count: 60) + "}"
        #expect(scan(shallow).accepted)
    }

    /// Whatever it accepts, the parser accepts too, and the writer writes back byte for byte.
    @Test func acceptedTextRoundTripsExactly() throws {
        var state: UInt64 = 0xDEAD_BEEF_CAFE_F00D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces = [#"{"#, #"}"#, #"["#, #"]"#, #"""#, ":", ",", "a", "b", "é", "1", "0", "-", ".", "e", "true", "null", " ", "\\n", #"\""#]
        var accepted = 0
        for _ in 0..<20_000 {
            let text = "{\"k\":" + (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined() + "}"
            let bytes = Array(text.utf8)
            guard bytes.withUnsafeBufferPointer({ RawJSONScanner().scan($0) }) else { continue }
            accepted += 1
            let value = try JSONParser.parse(bytes)
            #expect(JSONWriter().bytes(value) == bytes, "\(text)")
        }
        #expect(accepted > 100)
    }
}
