import JSON

/// The members of a control-API object (`/_provsim/limits`, `/_provsim/faults`, …), read with
/// their type and range checked. A value of the wrong type or out of range is refused with an
/// error naming the field and what it accepts, never silently ignored or clamped: a tester who
/// sends `"every": "3"` or `"perSecond": 1e300` learns at once that the fake did not take it.
struct ControlFields {
    let object: JSONObject
    /// How errors name the object: `limits`, `faults[2]`.
    let context: String

    init(_ value: JSONValue, context: String, known: Set<String>) throws(FakeRequestError) {
        guard case .object(let object) = value else { throw FakeRequestError("\(context) must be a JSON object") }
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw FakeRequestError("\(context): unknown field '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        self.object = object
        self.context = context
    }

    func has(_ name: String) -> Bool { object[name] != nil }

    func int(_ name: String, in range: ClosedRange<Int>) throws(FakeRequestError) -> Int? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let int = value.intValue, range.contains(int) else {
            throw FakeRequestError("\(context).\(name): expected an integer from \(range.lowerBound) to \(range.upperBound), got \(Self.shown(value))")
        }
        return int
    }

    func double(_ name: String, in range: ClosedRange<Double>) throws(FakeRequestError) -> Double? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let double = value.numberValue?.doubleValue, double.isFinite, range.contains(double) else {
            throw FakeRequestError("\(context).\(name): expected a number from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)), got \(Self.shown(value))")
        }
        return double
    }

    func string(_ name: String, maxLength: Int = 2048) throws(FakeRequestError) -> String? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let string = value.stringValue, string.utf8.count <= maxLength else {
            throw FakeRequestError("\(context).\(name): expected a string of at most \(maxLength) bytes, got \(Self.shown(value))")
        }
        return string
    }

    func bool(_ name: String) throws(FakeRequestError) -> Bool? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let bool = value.boolValue else {
            throw FakeRequestError("\(context).\(name): expected true or false, got \(Self.shown(value))")
        }
        return bool
    }

    func strings(_ name: String, maxCount: Int = 1000) throws(FakeRequestError) -> [String]? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let list = value.arrayValue, list.count <= maxCount else {
            throw FakeRequestError("\(context).\(name): expected a list of at most \(maxCount) strings, got \(Self.shown(value))")
        }
        var strings: [String] = []
        for (index, element) in list.enumerated() {
            guard let string = element.stringValue, string.utf8.count <= 2048 else {
                throw FakeRequestError("\(context).\(name)[\(index)]: expected a string, got \(Self.shown(element))")
            }
            strings.append(string)
        }
        return strings
    }

    /// A value as an error message shows it: short, whatever its size.
    static func shown(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count <= 60 ? text : String(text.prefix(60)) + "…"
    }

    static func shown(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
