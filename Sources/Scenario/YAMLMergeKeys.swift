import Yams

/// YAML merge keys (`<<: *defaults`, `<<: [*a, *b]`), so a scenario can define a transformation,
/// a system or common step fields once under an anchor and reuse them with changes. Yams resolves
/// plain aliases (`*name`) when it composes the document; merge keys it leaves to the caller.
///
/// A mapping's own keys win over merged ones; of several merged mappings, the first wins. Merged
/// keys take the place of the `<<` key. A quoted `"<<"` is an ordinary key.
enum YAMLMergeKeys {
    /// Nodes one expansion may visit: aliases repeat the anchored node wherever they appear, so
    /// nested ones ("billion laughs") could otherwise expand without bound.
    static let maximumNodes = ScenarioNode.maximumJSONValues
    static let maximumDepth = 256

    static func expand(_ node: Node, file: String) throws(ScenarioError) -> Node {
        var budget = maximumNodes
        return try expand(node, file: file, depth: 0, budget: &budget)
    }

    private static func expand(_ node: Node, file: String, depth: Int, budget: inout Int) throws(ScenarioError) -> Node {
        budget -= 1
        guard budget >= 0 else { throw error(node, file, "the file expands to more than \(maximumNodes) values (nested YAML aliases?)") }
        guard depth < maximumDepth else { throw error(node, file, "values are nested more than \(maximumDepth) levels deep") }
        switch node {
        case .scalar, .alias:
            return node
        case .sequence(let sequence):
            var nodes: [Node] = []
            for element in sequence { nodes.append(try expand(element, file: file, depth: depth + 1, budget: &budget)) }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
        case .mapping(let mapping):
            let own = Set(mapping.compactMap { isMergeKey($0.key) ? nil : $0.key.string })
            var taken = own
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                guard isMergeKey(key) else {
                    pairs.append((key, try expand(value, file: file, depth: depth + 1, budget: &budget)))
                    continue
                }
                for source in try mergedMappings(value, file: file) {
                    let expanded = try expand(.mapping(source), file: file, depth: depth + 1, budget: &budget)
                    guard case .mapping(let flat) = expanded else { continue }
                    for (mergedKey, mergedValue) in flat {
                        guard let name = mergedKey.string, !taken.contains(name) else { continue }
                        taken.insert(name)
                        pairs.append((mergedKey, mergedValue))
                    }
                }
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        }
    }

    /// `node` without its top-level `x-…` keys, where a file defines anchors for the rest.
    static func droppingExtensions(_ node: Node) -> Node {
        guard case .mapping(let mapping) = node else { return node }
        let kept = mapping.filter { !($0.key.string?.hasPrefix("x-") ?? false) }.map { ($0.key, $0.value) }
        return .mapping(Node.Mapping(kept, mapping.tag, mapping.style, mapping.mark))
    }

    private static func isMergeKey(_ key: Node) -> Bool {
        guard case .scalar(let scalar) = key else { return false }
        return scalar.string == "<<" && scalar.style == .plain
    }

    /// What a `<<` merges: one mapping, or a list of them (the first wins).
    private static func mergedMappings(_ value: Node, file: String) throws(ScenarioError) -> [Node.Mapping] {
        switch value {
        case .mapping(let mapping): return [mapping]
        case .sequence(let sequence):
            return try sequence.map { (element) throws(ScenarioError) -> Node.Mapping in
                guard case .mapping(let mapping) = element else { throw error(element, file, "<<: merges mappings (an alias of one, or a list of them)") }
                return mapping
            }
        case .scalar, .alias:
            throw error(value, file, "<<: merges mappings (an alias of one, or a list of them)")
        }
    }

    private static func error(_ node: Node, _ file: String, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line, column: node.mark?.column, field: "", message: message)
    }
}
