// libFuzzer entry point: the JSON parser, and the writer on what it parses.
import JSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let value = try? JSONParser.parse(bytes) {
        _ = value.serialized()
        _ = try? JSONParser.parse(value.serialized())
    }
    _ = JSONLines.entries(in: bytes)
    return 0
}
