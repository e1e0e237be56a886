import JSON

/// A function applied to the result of a path, written as a final `.name()` step (Jayway).
enum PathFunction: String, Sendable, CaseIterable {
    case length, min, max, avg, sum, stddev, keys, first, last

    /// Applies the function; `nil` when it is undefined for the input (then the path finds nothing).
    func apply(to value: JSONValue) -> JSONValue? {
        switch self {
        case .length:
            switch value {
            case .array(let a): return JSONValue(a.count)
            case .object(let o): return JSONValue(o.count)
            case .string(let s): return JSONValue(s.utf16.count)  // Java String.length()
            default: return nil
            }
        case .keys:
            guard case .object(let o) = value else { return nil }
            return .array(o.keys.map(JSONValue.string))
        case .first:
            guard case .array(let a) = value else { return nil }
            return a.first
        case .last:
            guard case .array(let a) = value else { return nil }
            return a.last
        case .min, .max, .avg, .sum, .stddev:
            guard case .array(let a) = value else { return nil }
            let numbers = a.compactMap { $0.numberValue?.doubleValue }
            guard !numbers.isEmpty else { return nil }
            let result: Double
            switch self {
            case .min: result = numbers.min()!
            case .max: result = numbers.max()!
            case .sum: result = numbers.reduce(0, +)
            case .avg: result = numbers.reduce(0, +) / Double(numbers.count)
            default:
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                result = (numbers.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(numbers.count)).squareRoot()
            }
            return JSONNumber(result).map(JSONValue.number)
        }
    }
}
