import Hosting
import JSON

/// The root documents a client discovers the API from (no token needed).
extension CloudController {
    func root(_ base: String) -> JSONValue {
        let uaa = uaaURL()
        return ["links": .object(JSONObject([
            ("self", link(base)), ("bits_service", .null), ("cloud_controller_v2", .null),
            ("cloud_controller_v3", ["href": .string(base + "/v3"), "meta": ["version": "3.180.0"]]),
            ("network_policy_v0", .null), ("network_policy_v1", .null),
            ("login", link(uaa)), ("uaa", link(uaa)), ("credhub", .null), ("routing", .null),
            ("logging", .null), ("log_cache", .null), ("log_stream", .null), ("app_ssh", .null),
        ]))]
    }

    func v3Root(_ base: String) -> JSONValue {
        ["links": .object(JSONObject([("self", link(base + "/v3"))] + ["info", "jobs", "organizations", "roles", "spaces", "users"].map {
            ($0, link("\(base)/v3/\($0)"))
        }))]
    }

    func info(_ base: String) -> JSONValue {
        .object(JSONObject([
            ("build", "provsim"), ("cli_version", ["minimum": "", "recommended": ""]), ("custom", .object(JSONObject())),
            ("description", "provsim fake Cloud Controller"), ("name", "provsim"), ("version", 0), ("osbapi_version", ""),
            ("links", ["self": link(base + "/v3/info"), "support": link("https://github.com/provsim")]),
        ]))
    }
}
