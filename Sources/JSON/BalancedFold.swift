extension Collection {
    /// Combines the elements with an associative `join` into a balanced tree: n elements nest
    /// log2(n) deep instead of n. The filter parsers (SCIM filters, JSONPath conditions) build
    /// their `and`/`or` chains with it, so a chain of any length can be walked recursively
    /// without overflowing the stack. Nil when the collection is empty.
    public func balancedFold(_ join: (Element, Element) -> Element) -> Element? {
        guard let first else { return nil }
        if count == 1 { return first }
        let middle = index(startIndex, offsetBy: count / 2)
        guard let left = self[..<middle].balancedFold(join), let right = self[middle...].balancedFold(join) else { return first }
        return join(left, right)
    }
}
