import Engine
import Foundation
import JSON
import Yams

/// Loads a systems description (YAML or JSON) — a systems file of `provsim job run`, or the
/// `systems:` of a scenario — and reports problems with file, line and field.
public enum SystemsFile {
    public static func load(path: String, connection: SystemsConfiguration.ConnectionProvider? = nil) throws(ScenarioError) -> SystemsConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(file: path, message: "cannot read the systems file: \(error.localizedDescription)")
        }
        return try load(text: text, file: path, connection: connection)
    }

    /// The same from the text of a file named `file` (which errors name).
    public static func load(text: String, file: String, connection: SystemsConfiguration.ConnectionProvider? = nil) throws(ScenarioError) -> SystemsConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ScenarioLoader.yamlError(error, file: file)
        }
        guard let node else { throw ScenarioError(file: file, message: "the systems file is empty") }
        let expanded = YAMLMergeKeys.droppingExtensions(try YAMLMergeKeys.expand(node, file: file))
        return try load(ScenarioNode(node: expanded, file: file, field: ""), connection: connection)
    }

    /// Reads `node` (a mapping with `systems:`), or `json` made from it, whose errors are placed
    /// in the node; relative transformation paths are resolved against the directory of the file
    /// it came from.
    public static func load(_ node: ScenarioNode, json given: JSONValue? = nil, connection: SystemsConfiguration.ConnectionProvider? = nil) throws(ScenarioError) -> SystemsConfiguration {
        let json: JSONValue
        if let given { json = given } else { json = try node.json() }
        do throws(SystemsError) {
            return try load(json: json, file: node.file, connection: connection)
        } catch {
            let located = node.descendant(atField: error.field) ?? node
            throw ScenarioError(file: node.file, line: located.line, column: nil,
                                field: [node.field, error.field].filter { !$0.isEmpty }.joined(separator: "."), message: error.message)
        }
    }

    /// The same from JSON that came from `file` (errors name the field, not the line).
    static func load(json: JSONValue, file: String, connection: SystemsConfiguration.ConnectionProvider?) throws(SystemsError) -> SystemsConfiguration {
        let directory = (file as NSString).deletingLastPathComponent
        return try SystemsConfiguration(json: json, loadFile: { (reference) throws(SystemsError) -> String in
            let path = reference.hasPrefix("/") || directory.isEmpty ? reference : directory + "/" + reference
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SystemsError(field: "transformation", message: "cannot read the transformation file \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        }, connection: connection)
    }
}

extension ScenarioNode {
    /// The node at a dotted field path (`systems.btp.properties.xsuaa.origin`, `targets[0]`); keys
    /// may contain dots, so the longest key that fits is taken at each level.
    func descendant(atField path: String) -> ScenarioNode? {
        guard !path.isEmpty else { return self }
        if path.hasPrefix("["), let close = path.firstIndex(of: "]"), let index = Int(path[path.index(after: path.startIndex)..<close]) {
            guard let items = try? elements(), items.indices.contains(index) else { return nil }
            let rest = path[path.index(after: close)...]
            return items[index].descendant(atField: String(rest.hasPrefix(".") ? rest.dropFirst() : rest)) ?? items[index]
        }
        guard let keys = try? keys() else { return nil }
        let fitting = keys.filter { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }.max { $0.count < $1.count }
        guard let key = fitting, let child = self[key] else { return nil }
        let rest = path.dropFirst(key.count)
        return child.descendant(atField: String(rest.hasPrefix(".") ? rest.dropFirst() : rest)) ?? child
    }
}
