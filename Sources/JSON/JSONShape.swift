/// What a value of a file format may look like, written once: a loader takes the keys it accepts
/// from it, and `provsim schema` prints it as a JSON Schema, so the two cannot drift apart.
///
/// It describes what an editor can check before the loader runs (names, types, choices); the
/// loader still checks everything else (paths, references, ranges that depend on other keys).
public struct JSONShape: Sendable {
    public indirect enum Kind: Sendable {
        /// Any value (a body, a JSON value to compare).
        case any
        /// Text; `scalars`: a number or boolean is taken as its text too (as the scenario loader
        /// reads text), so only a list, a mapping or null is wrong.
        case text(choices: [String], pattern: String?, scalars: Bool)
        case integer(minimum: Int?, maximum: Int?)
        case number(minimum: Double?, maximum: Double?)
        case boolean
        /// `null` (a header expected absent).
        case null
        case list(of: JSONShape, minimumCount: Int)
        /// Known members, and other names the object may have: those starting with a prefix
        /// (`x-` for the extension keys that hold YAML anchors), each with a value of one shape.
        case object(members: [Member], otherNames: OtherNames?)
        /// Names the author chooses (systems, properties), each mapped to a value of one shape.
        case map(of: JSONShape, namePattern: String?)
        /// Any one of several shapes (a number or a list of numbers).
        case anyOf([JSONShape])
        /// A shape defined once under a name (see `JSONSchemaDocument`).
        case reference(String)
    }

    /// Names an object takes besides its members.
    public struct OtherNames: Sendable {
        public let prefix: String
        public let shape: JSONShape

        public init(prefix: String, shape: JSONShape) {
            self.prefix = prefix
            self.shape = shape
        }
    }

    /// One member of an object.
    public struct Member: Sendable {
        public let name: String
        public let shape: JSONShape
        public let isRequired: Bool
    }

    public let kind: Kind
    /// What the value means, for editors' hover text (the docs' wording, shortened).
    public let summary: String

    public init(_ kind: Kind, _ summary: String = "") {
        self.kind = kind
        self.summary = summary
    }

    /// The names of an object's members (empty for anything else).
    public var memberNames: Set<String> {
        guard case .object(let members, _) = kind else { return [] }
        return Set(members.map(\.name))
    }

    /// Whether an object of this shape may have a member `name`.
    public func allowsMember(_ name: String) -> Bool {
        guard case .object(let members, let other) = kind else { return false }
        return members.contains { $0.name == name } || other.map { name.hasPrefix($0.prefix) } == true
    }

    /// A reference, described where the definition is.
    public var isReference: Bool {
        if case .reference = kind { return true }
        return false
    }

    // MARK: Building

    public static let anyValue = JSONShape(.any)
    public static func any(_ summary: String) -> JSONShape { JSONShape(.any, summary) }
    /// Text, or a number or boolean taken as text (`name: 2024`); with a pattern, text only.
    public static func text(_ summary: String, pattern: String? = nil) -> JSONShape {
        JSONShape(.text(choices: [], pattern: pattern, scalars: pattern == nil), summary)
    }
    /// Text that must be a string (a name the engine reads as a JSON string).
    public static func string(_ summary: String) -> JSONShape { JSONShape(.text(choices: [], pattern: nil, scalars: false), summary) }
    public static func choice(_ choices: [String], _ summary: String) -> JSONShape { JSONShape(.text(choices: choices, pattern: nil, scalars: false), summary) }
    /// A choice the loader reads in any case (`method: post`): the choices for completion, other
    /// spellings by pattern.
    public static func choiceInAnyCase(_ choices: [String], _ summary: String) -> JSONShape {
        let spelled = choices.map { choice in
            choice.map { c in
                let lower = c.lowercased(), upper = c.uppercased()
                return lower == upper ? escaped(String(c)) : "[\(upper)\(lower)]"
            }.joined()
        }
        return anyOf([.choice(choices, "as written here"), .text("in any case", pattern: "^(\(spelled.joined(separator: "|")))$")], summary)
    }

    /// `text` with the characters that mean something in a pattern escaped.
    static func escaped(_ text: String) -> String {
        text.map { ".^$*+?()[]{}|\\".contains($0) ? "\\\($0)" : String($0) }.joined()
    }
    public static func integer(_ summary: String, _ range: ClosedRange<Int>? = nil) -> JSONShape {
        JSONShape(.integer(minimum: range?.lowerBound, maximum: range.map { $0.upperBound == Int.max ? nil : $0.upperBound } ?? nil), summary)
    }
    public static func number(_ summary: String, _ range: ClosedRange<Double>? = nil) -> JSONShape {
        JSONShape(.number(minimum: range?.lowerBound, maximum: range?.upperBound), summary)
    }
    public static func boolean(_ summary: String) -> JSONShape { JSONShape(.boolean, summary) }
    public static func null(_ summary: String) -> JSONShape { JSONShape(.null, summary) }
    public static func list(of element: JSONShape, _ summary: String, minimumCount: Int = 0) -> JSONShape {
        JSONShape(.list(of: element, minimumCount: minimumCount), summary)
    }
    public static func object(_ summary: String, otherNames: OtherNames? = nil, _ members: [Member]) -> JSONShape {
        JSONShape(.object(members: members, otherNames: otherNames), summary)
    }
    public static func map(of value: JSONShape, _ summary: String, namePattern: String? = nil) -> JSONShape {
        JSONShape(.map(of: value, namePattern: namePattern), summary)
    }
    public static func anyOf(_ shapes: [JSONShape], _ summary: String) -> JSONShape { JSONShape(.anyOf(shapes), summary) }
    public static func reference(_ name: String, _ summary: String = "") -> JSONShape { JSONShape(.reference(name), summary) }

    /// The same shape with another summary (a shared definition described where it is used).
    public func described(_ summary: String) -> JSONShape { JSONShape(kind, summary) }
}

extension JSONShape.Member {
    /// An optional member.
    public static func optional(_ name: String, _ shape: JSONShape) -> Self { Self(name: name, shape: shape, isRequired: false) }
    /// A member every value must have.
    public static func required(_ name: String, _ shape: JSONShape) -> Self { Self(name: name, shape: shape, isRequired: true) }
}

extension JSONShape.OtherNames {
    /// Extension keys (`x-…`), which hold what YAML anchors define; loaders drop them.
    public static let extensions = Self(prefix: "x-", shape: .anyValue)
    /// Any name, any value (an inline document checked by its own loader).
    public static let any = Self(prefix: "", shape: .anyValue)
}
