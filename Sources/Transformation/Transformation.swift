import JSON
import JSONPath

/// A compiled IPS transformation document: up to one plan per entity type.
///
/// Compilation does all parsing up front — property references are substituted, every JSONPath,
/// condition, regex and date pattern is compiled — so applying the plan to an entity re-parses
/// nothing. Properties are bound at compile time because `%key%` substitution is textual.
public struct Transformation: Sendable {
    /// Where the document came from (a file path), for messages.
    public let source: String?
    private let plans: [EntityType: EntityPlan]

    /// The default date format of `currentDate` (property `ips.date.variable.format`).
    public static let defaultDateFormat = "yyyy-MM-dd HH:mm:ss.SSS"

    /// Compiles JSON text; `//` and `/* */` comments are allowed, as in IPS's editor.
    public init(text: String, source: String? = nil, properties: [String: String] = [:]) throws(TransformationCompileError) {
        let parsed: (value: JSONValue, locations: JSONLocations)
        do throws(JSONParseError) {
            parsed = try JSONParser.parseWithLocations(text, options: .allowComments)
        } catch {
            throw TransformationCompileError(source: source, line: error.line, field: "", message: "invalid JSON at column \(error.column): \(error.message)")
        }
        var compiler = DocumentCompiler(source: source, locations: parsed.locations, properties: properties, usesCurrentDate: text.contains("currentDate"))
        plans = try compiler.compile(parsed.value)
        self.source = source
    }

    /// Compiles a document given as a value (an inline transformation in a scenario).
    public init(document: JSONValue, source: String? = nil, properties: [String: String] = [:]) throws(TransformationCompileError) {
        var compiler = DocumentCompiler(source: source, locations: nil, properties: properties, usesCurrentDate: document.serialized().contains("currentDate"))
        plans = try compiler.compile(document)
        self.source = source
    }

    /// The entity types the document defines, in `user`, `group`, `role` order.
    public var entityTypes: [EntityType] {
        EntityType.allCases.filter { plans[$0] != nil }
    }

    public func plan(for type: EntityType) -> EntityPlan? {
        plans[type]
    }

    /// Applies the plan for `type`; a document without that block fails the entity.
    public func apply(_ entity: JSONValue, as type: EntityType, context: TransformContext) -> TransformResult {
        guard let plan = plans[type] else {
            return .failed(EntityFailure(rule: type.rawValue, message: "the transformation has no '\(type.rawValue)' block"))
        }
        return plan.apply(to: entity, context: context)
    }
}
