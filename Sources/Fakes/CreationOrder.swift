/// The IDs of one resource type in creation order, for stable listings. Removing one leaves a
/// hole instead of shifting (and comparing) every later ID; holes are squeezed out before the
/// order is read by position, so paging through N resources costs O(N), not O(N²).
struct CreationOrder: Sendable {
    private var ids: [String?] = []
    private var slots: [String: Int] = [:]
    private var holes = 0

    var count: Int { ids.count - holes }

    mutating func append(_ id: String) {
        if let old = slots[id] {
            ids[old] = nil
            holes += 1
        }
        slots[id] = ids.count
        ids.append(id)
    }

    mutating func remove(_ id: String) {
        guard let slot = slots.removeValue(forKey: id) else { return }
        ids[slot] = nil
        holes += 1
    }

    /// Every ID, oldest first.
    var all: [String] { ids.compactMap { $0 } }

    /// The IDs at positions `range` of the order (clamped), oldest first.
    mutating func slice(_ range: Range<Int>) -> ArraySlice<String?> {
        squeeze()
        let clamped = range.clamped(to: 0..<ids.count)
        return ids[clamped]
    }

    private mutating func squeeze() {
        guard holes > 0 else { return }
        ids = ids.filter { $0 != nil }
        holes = 0
        for (position, id) in ids.enumerated() {
            if let id { slots[id] = position }
        }
    }
}
