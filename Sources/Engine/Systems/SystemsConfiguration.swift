import JSON
import Transformation

/// The systems of a tenant and how they are linked, read from a systems file or a scenario:
///
/// ```yaml
/// systems:
///   directory:
///     type: identity-directory
///     role: source
///     targets: [btp]
///     properties: { URL: "https://…", User: client, Password: secret, OAuth2TokenServiceURL: "https://…/oauth/token" }
///   btp:
///     type: xsuaa
///     role: target
///     transformation: my-xsuaa-write.json     # optional; default builtin:xsuaa-write
///     properties: { xsuaa.origin: sap.custom, … }
/// ```
public struct SystemsConfiguration: Sendable {
    public let systems: [String: ProvisioningSystem]
    /// System names in the order written.
    public let order: [String]

    /// How a `transformation:` reference is turned into text: `builtin:` names are resolved here;
    /// anything else (a file path) goes to this closure.
    public typealias FileLoader = (String) throws(SystemsError) -> String

    /// Extra properties per system (scenarios fill in the URL and credentials of a fake named by
    /// `fake:`); they do not override what the system sets itself.
    public typealias ConnectionProvider = (_ system: String, _ fake: String) throws(SystemsError) -> [String: String]

    /// A property's value as the text IPS keeps: text, a number as written, `true`/`false`; nil
    /// for anything else.
    public static func propertyText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    public init(json: JSONValue, loadFile: FileLoader, connection: ConnectionProvider? = nil) throws(SystemsError) {
        guard case .object(let root) = json else { throw SystemsError(field: "", message: "expected a mapping with a 'systems' key") }
        if let unknown = root.keys.first(where: { !Self.shape.allowsMember($0) }) {
            throw SystemsError(field: unknown, message: "unknown key '\(unknown)' (expected: systems)")
        }
        guard case .object(let entries)? = root["systems"], !entries.isEmpty else {
            throw SystemsError(field: "systems", message: "expected a mapping of system names to systems")
        }
        var systems: [String: ProvisioningSystem] = [:]
        var order: [String] = []
        for member in entries {
            do throws(SystemsError) {
                systems[member.key] = try Self.system(named: member.key, member.value, loadFile: loadFile, connection: connection)
            } catch {
                throw error.nested(in: "systems.\(member.key)")
            }
            order.append(member.key)
        }
        // IPS: at most 20 source and 50 target systems per tenant (more only through an SAP
        // ticket, docs/fidelity.md, “The provisioning engine”); a systems file beyond that could not exist in a tenant.
        for (role, limit) in [(SystemRole.source, 20), (.target, 50)] {
            let count = systems.values.filter { $0.role == role }.count
            guard count <= limit else {
                throw SystemsError(field: "systems", message: "\(count) \(role.rawValue) systems: IPS allows at most \(limit) per tenant (more only through an SAP ticket)")
            }
        }
        for name in order {
            let system = systems[name]!
            for (i, target) in system.targets.enumerated() {
                guard let t = systems[target] else {
                    throw SystemsError(field: "systems.\(name).targets[\(i)]", message: "no system named '\(target)' (known: \(order.joined(separator: ", ")))")
                }
                guard t.role == .target else {
                    throw SystemsError(field: "systems.\(name).targets[\(i)]", message: "'\(target)' is a \(t.role.rawValue) system, not a target")
                }
            }
        }
        self.systems = systems
        self.order = order
    }

    public init(systems: [ProvisioningSystem]) {
        self.systems = Dictionary(uniqueKeysWithValues: systems.map { ($0.name, $0) })
        order = systems.map(\.name)
    }

    public subscript(name: String) -> ProvisioningSystem? { systems[name] }

    public var sources: [ProvisioningSystem] { order.compactMap { systems[$0] }.filter { $0.role == .source } }

    private static func system(named name: String, _ json: JSONValue, loadFile: FileLoader, connection: ConnectionProvider?) throws(SystemsError) -> ProvisioningSystem {
        guard case .object(let o) = json else { throw SystemsError(field: "", message: "expected a mapping (type, role, properties …)") }
        if let unknown = o.keys.first(where: { !systemShape.allowsMember($0) }) {
            throw SystemsError(field: unknown, message: "unknown key '\(unknown)' (expected one of: \(systemShape.memberNames.sorted().joined(separator: ", ")))")
        }
        guard let typeText = o["type"]?.stringValue else { throw SystemsError(field: "type", message: "missing; one of \(SystemType.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard let type = SystemType(rawValue: typeText) else {
            throw SystemsError(field: "type", message: "unknown type '\(typeText)' (known: \(SystemType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let roleText = o["role"]?.stringValue else { throw SystemsError(field: "role", message: "missing; source, target or proxy") }
        guard let role = SystemRole(rawValue: roleText) else {
            throw SystemsError(field: "role", message: "'\(roleText)' is not a role (source, target or proxy)")
        }
        var values: [String: String] = [:]
        if let props = o["properties"] {
            guard case .object(let p) = props else { throw SystemsError(field: "properties", message: "expected a mapping of property names to values") }
            for member in p {
                guard let text = Self.propertyText(member.value) else {
                    throw SystemsError(field: "properties.\(member.key)", message: "a property value is text, a number or true/false")
                }
                values[member.key] = text
            }
        }
        if let fake = o["fake"] {
            guard let fakeName = fake.stringValue else { throw SystemsError(field: "fake", message: "expected the name of a fake service") }
            guard let connection else { throw SystemsError(field: "fake", message: "'fake:' connects to a fake started by a scenario; give URL and credentials as properties instead") }
            for (key, value) in try connection(name, fakeName) where values[key] == nil { values[key] = value }
        }
        let properties = try SystemProperties(values, type: type, role: role)
        // A proxy has both: `transformation` is its read transformation, `writeTransformation`
        // the write one.
        guard role == .proxy || o["writeTransformation"] == nil else {
            throw SystemsError(field: "writeTransformation", message: "only a proxy system has a separate write transformation")
        }
        let defaults = type.defaultTransformations(as: role)
        if defaults == nil, o["transformation"] == nil || o["writeTransformation"] == nil {
            throw SystemsError(field: "transformation", message: "a \(type.rawValue) proxy has no default transformations: give transformation (read) and writeTransformation")
        }
        let transformation = try Self.transformation(o["transformation"], field: "transformation", default: defaults?.transformation, system: name, properties: values, loadFile: loadFile)
        let writeTransformation = role == .proxy
            ? try Self.transformation(o["writeTransformation"], field: "writeTransformation", default: defaults?.write, system: name, properties: values, loadFile: loadFile)
            : nil
        var targets: [String] = []
        if let t = o["targets"] {
            guard role == .source else { throw SystemsError(field: "targets", message: "only a source system lists targets") }
            guard let list = t.arrayValue?.compactMap(\.stringValue), list.count == t.arrayValue?.count else {
                throw SystemsError(field: "targets", message: "expected a list of system names")
            }
            targets = list
        }
        let enabled = o["enabled"]?.boolValue ?? true
        return ProvisioningSystem(name: name, type: type, role: role, properties: properties, transformation: transformation,
                                  writeTransformation: writeTransformation, targets: targets, enabled: enabled)
    }

    /// Compiles a `transformation:` value: a `builtin:` name, a file, or an inline document.
    /// `fallback` is only consulted when `value` is nil (the caller made sure there is one).
    private static func transformation(_ value: JSONValue?, field: String, default fallback: String?, system: String, properties: [String: String],
                                       loadFile: (String) throws(SystemsError) -> String) throws(SystemsError) -> Transformation {
        let reference = value?.stringValue ?? BuiltinTransformations.prefix + (fallback ?? "")
        var text: String?
        if value?.objectValue == nil {
            text = BuiltinTransformations.text(forReference: reference)
            if text == nil { text = try loadFile(reference) }
        }
        do throws(TransformationCompileError) {
            if let text { return try Transformation(text: text, source: reference, properties: properties) }
            return try Transformation(document: value!, source: "systems.\(system).\(field)", properties: properties)
        } catch {
            throw SystemsError(field: field, message: "\(error)")
        }
    }
}
