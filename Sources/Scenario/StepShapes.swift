import Fakes
import JSON

/// Shape fragments several steps share (see `StepKind.shape`).
enum StepShapes {
    static let fake = JSONShape.choice(FakeFleet.serviceNames + ["proxy"], "The fake service (as started by the systems step).")
    static let system = JSONShape.text("A system declared in the systems step.")
    static let method = JSONShape.choiceInAnyCase(RequestStep.methods.sorted(), "The HTTP method.")
    /// A property or variable value as the loader reads it: text, or a number or boolean taken as written.
    static let scalar = JSONShape.anyOf([.text("text"), .number("a number"), .boolean("a boolean")], "A single value.")
    static let texts = JSONShape.list(of: .text("Text."), "A list of texts.")
    static let pathTable = JSONShape.map(of: .any("The value expected at the path."), "JSONPaths to expected values.")
    static let body = JSONShape.any("A JSON body, written as YAML.")
    /// `3`, `">0"`, `">=1"`, `"<=3"`.
    static let count = JSONShape.anyOf([
        .integer("exactly this many", 0...Int.max),
        .text("compared: >0, >=1, <=3, <10", pattern: "^\\s*(>=|<=|>|<|=)?\\s*[0-9]+\\s*$"),
    ], "A count: exactly n, or compared (\">=1\").")
    /// One count, or several that must all hold.
    static let counts = JSONShape.anyOf([count, .list(of: count, "bounds that must all hold", minimumCount: 1)], "A count, or a list of bounds that must all hold.")
}
