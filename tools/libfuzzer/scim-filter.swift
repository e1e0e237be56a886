// libFuzzer entry point: the SCIM filter parser and evaluator, and PATCH paths.
import JSON
import SCIM

let userType = SCIMResourceType(name: "User", endpoint: "/Users", description: "", schema: SCIMSchemas.user)
let sample: JSONValue = ["userName": "alice", "emails": [["value": "a@example.com", "type": "work"]], "meta": ["lastModified": "2024-01-01T00:00:00Z"]]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSCIMFilter(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let filter = try? SCIMFilter(parsing: text) {
        _ = SCIMFilterEvaluator(resourceType: userType).matches(filter, sample)
        _ = (filter.operators, filter.referencedAttributes, filter.equalityTerms)
    }
    _ = try? SCIMPatchPath(parsing: text)
    return 0
}
