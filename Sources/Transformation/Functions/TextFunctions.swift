import Foundation
import JSON
import JSONPath

/// `concatString`: prefix + value + suffix.
struct ConcatString: MappingFunction {
    let prefix: StringTemplate?
    let suffix: StringTemplate?

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "concatString")
        return .string((prefix?.render(environment.variables) ?? "") + text + (suffix?.render(environment.variables) ?? ""))
    }
}

/// `compositeId`: value + separator + subId, where subId is text or a JSONPath into the entity.
struct CompositeId: MappingFunction {
    enum SubId { case text(StringTemplate), path(JSONPath) }
    let separator: StringTemplate
    let subId: SubId

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "compositeId")
        let sub: String
        switch subId {
        case .text(let t):
            sub = t.render(environment.variables)
        case .path(let p):
            guard let found = p.read(environment.root, variables: environment.variables), !found.isNull else {
                throw FunctionError("subId path \(p) finds no value")
            }
            sub = try found.scalarText(for: "compositeId")
        }
        return .string(text + separator.render(environment.variables) + sub)
    }
}

/// `replaceString`: replaces every literal occurrence of `target`.
struct ReplaceString: MappingFunction {
    let target: StringTemplate
    let replacement: StringTemplate

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "replaceString")
        let target = self.target.render(environment.variables)
        guard !target.isEmpty else { return .string(text) }
        return .string(text.replacingOccurrences(of: target, with: replacement.render(environment.variables)))
    }
}

/// `substring`: Java `String.substring(begin, end)` on UTF-16 units; out of range fails the entity,
/// as Java's exception would.
struct SubstringFunction: MappingFunction {
    let beginIndex: Int
    let endIndex: Int?

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "substring")
        let units = Array(text.utf16)
        let end = endIndex ?? units.count
        guard beginIndex >= 0, end <= units.count, beginIndex <= end else {
            throw FunctionError("begin \(beginIndex), end \(end) is out of range for '\(text)' (length \(units.count))")
        }
        return .string(String(decoding: units[beginIndex..<end], as: UTF16.self))
    }
}

/// `splitStringToArray`: splits on a literal separator; like Java's `split`, trailing empty parts
/// are dropped.
struct SplitStringToArray: MappingFunction {
    let separator: StringTemplate

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "splitStringToArray")
        let separator = self.separator.render(environment.variables)
        guard !separator.isEmpty else { return .array(text.map { .string(String($0)) }) }
        var parts = text.components(separatedBy: separator)
        if parts.count > 1 {
            while let last = parts.last, last.isEmpty { parts.removeLast() }
        }
        return .array(parts.map(JSONValue.string))
    }
}

/// `toUpperCaseString` / `toLowerCaseString` with a locale (default `en_EN`).
struct ChangeCase: MappingFunction {
    let upper: Bool
    let locale: Locale

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: upper ? "toUpperCaseString" : "toLowerCaseString")
        return .string(upper ? text.uppercased(with: locale) : text.lowercased(with: locale))
    }
}

/// `toString`: a byte array (from `decode`) as UTF-8 text; other values as their text.
struct ToString: MappingFunction {
    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        switch value {
        case .array(let elements):
            if let bytes = ByteArray.bytes(of: elements) {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw FunctionError("the bytes are not valid UTF-8")
                }
                return .string(text)
            }
            return .string(value.serialized())
        default:
            return .string(value.textValue)
        }
    }
}

/// `elementAt`: the element at `index` of an array (a lone value counts as a one-element array).
struct ElementAt: MappingFunction {
    let index: Int

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let elements = value.arrayValue ?? [value]
        return elements.indices.contains(index) ? elements[index] : nil
    }
}
