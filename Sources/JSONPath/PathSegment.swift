/// One step of a compiled JSONPath.
enum PathSegment: Sendable {
    /// `.name` or `['name']`
    case key(String)
    /// `['a','b']`
    case keys([String])
    /// `[n]`; negative counts from the end
    case index(Int)
    /// `[1,3]`
    case indexes([Int])
    /// `[start:end]`, end exclusive, either side optional, negatives from the end
    case slice(start: Int?, end: Int?)
    /// `.*` or `[*]`: every element of an array, every value of an object
    case wildcard
    /// `..`: the node itself and all its descendants; the next segment applies to each
    case recursiveDescent
    /// `[?(…)]`: array elements (or an object itself) for which the filter holds
    case filter(FilterExpression)

    /// Whether the segment can select at most one node.
    var isDefinite: Bool {
        switch self {
        case .key, .index: return true
        default: return false
        }
    }
}

extension PathSegment {
    /// For the IPS array-construction write form `$.list[?(@.key)]`: the key when this is a filter
    /// that only tests `@.key` for existence.
    var constructionKey: String? {
        guard case .filter(let expression) = self,
              case .exists(.path(let path)) = expression,
              path.isRelative, path.function == nil,
              path.segments.count == 1, case .key(let key) = path.segments[0] else { return nil }
        return key
    }
}
