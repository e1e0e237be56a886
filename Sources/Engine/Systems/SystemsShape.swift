import JSON

/// The systems format as a `JSONShape`: the keys `SystemsConfiguration` accepts and the property
/// names of `PropertyCatalog`, for `provsim schema systems` and the scenario schema's `systems` step.
extension SystemsConfiguration {
    /// A systems file: one `systems:` mapping (and `x-…` keys that hold YAML anchors).
    public static let shape = JSONShape.object("A provsim systems file: the systems of an IPS tenant.", otherNames: .extensions, [
        .required("systems", systemsShape),
    ])

    /// System names to systems; scenarios' `systems` steps reuse it.
    public static let systemsShape = JSONShape.map(of: .reference("system"), "System names (as IPS shows them) to their definitions.")

    /// One system, under the name `system` in a schema's definitions.
    public static let systemShape = JSONShape.object("A source, target or proxy system.", [
        .required("type", .choice(SystemType.allCases.map(\.rawValue), "The kind of system (IPS's system type).")),
        .required("role", .choice(SystemRole.allCases.map(\.rawValue), "source (read from), target (provisioned into) or proxy (a SCIM facade an identity manager calls).")),
        .optional("properties", PropertyCatalog.shape),
        .optional("transformation", transformationShape.described("The read transformation of a source or proxy, the write transformation of a target: builtin:NAME, a file path, or the document inline. Default: the type's built-in one.")),
        .optional("writeTransformation", transformationShape.described("A proxy's write transformation (builtin:NAME, a file path, or inline).")),
        .optional("targets", .list(of: .string("A target system's name."), "The target systems a source provisions into.")),
        .optional("enabled", .boolean("false: a target that jobs do not write to (a disabled source still runs; default true).")),
        .optional("fake", .string("The fake service whose URL and credentials become the connection properties (a scenario's fakes, or provsim job run --fakes).")),
        .optional("description", .text("Free text.")),
    ])

    static let transformationShape = JSONShape.anyOf([
        .text("builtin:NAME or a file path."),
        .object("An inline transformation.", otherNames: .any, []),
    ], "A transformation.")
}

extension PropertyCatalog {
    /// Every name the catalog knows, for every system type, with its values.
    static var shape: JSONShape {
        var members: [String: JSONShape] = [:]
        for (name, entry) in connection.merging(generic, uniquingKeysWith: { a, _ in a }).merging(provsim, uniquingKeysWith: { a, _ in a }) {
            members[name] = entry.shape
        }
        for type in SystemType.allCases {
            for prefix in Set(["scim", type.propertyPrefix]) {
                for (suffix, entry) in scimFamily { members["\(prefix).\(suffix)"] = entry.shape }
            }
            for (suffix, entry) in specific[type] ?? [:] { members["\(type.propertyPrefix).\(suffix)"] = entry.shape }
        }
        return .object("IPS system properties (names are case-sensitive); ips.http.header.NAME adds a header to every request.",
                       otherNames: .init(prefix: "ips.http.header.", shape: .text("The header's value.")), members.sorted { $0.key < $1.key }.map { .optional($0.key, $0.value) })
    }
}

extension PropertyCatalog.Entry {
    /// Values as a systems file may write them, or `${env:NAME}` (a scenario fills it in from the
    /// environment when its systems step runs).
    var shape: JSONShape {
        let value = valueShape
        guard case .text(_, nil, true) = value.kind else {
            return .anyOf([value, Self.environmentReference], value.summary)
        }
        return value  // free text takes a reference as it is
    }

    static let environmentReference = JSONShape.text("${env:NAME}: the value of an environment variable, filled in when a scenario's systems step runs",
                                                     pattern: "\\$\\{env:[A-Za-z0-9_]+\\}")

    /// Values as a systems file may write them: IPS keeps text, so numbers and booleans may also be quoted.
    private var valueShape: JSONShape {
        let note = simulated ? "" : " Accepted, not simulated."
        switch kind {
        case .text: return .text("Text." + note)
        case .secret: return .text("A secret: never shown in logs or reports." + note)
        case .url: return .text("An http(s) URL." + note, pattern: "^https?://")
        case .boolean: return .anyOf([.boolean("true or false"), .choice(["true", "false"], "as text")], "true or false." + note)
        case .switchValue: return .anyOf([.boolean("true or false"), .choice(["enabled", "disabled", "true", "false"], "as text")], "enabled or disabled." + note)
        case .integer(let range):
            let shown = "\(range.lowerBound)…\(range.upperBound == Int.max ? "" : String(range.upperBound))"
            return .anyOf([.integer("a whole number", range), .text("as text", pattern: "^[0-9]+$")], "A whole number, \(shown)." + note)
        case .choice(let options): return .choice(options, "One of \(options.joined(separator: ", ")) (case-sensitive)." + note)
        }
    }
}
