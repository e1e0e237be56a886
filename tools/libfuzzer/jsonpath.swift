// libFuzzer entry point: JSONPath compile, read, write and remove.
import JSON
import JSONPath

let document: JSONValue = ["a": [1, "2", ["b": [true, .null]]], "userName": "alice", "emails": [["value": "a@example.com"]]]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONPath(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard let path = try? JSONPath(text) else { return 0 }
    _ = path.select(in: document)
    var copy = document
    if path.writeProblem == nil { try? path.set("x", in: &copy) }
    try? path.remove(from: &copy)
    return 0
}
