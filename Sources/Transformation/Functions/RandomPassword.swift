import JSON

/// `randomPassword`: a password of `passwordLength` characters with at least the given number of
/// lowercase letters, uppercase letters, digits and special symbols. A minimum of 0 leaves that
/// class out entirely; the remainder is drawn from all included classes, then shuffled.
/// Reproducible when the context carries a seed. Minimums that add up to more than the length
/// fail the entity when the function runs, as in IPS ("function execution will result in error");
/// the transformation itself loads.
struct RandomPassword: MappingFunction {
    let length: Int
    let classes: [(characters: [Character], minimum: Int)]
    var shape: FunctionShape { .generator }

    static let lowercase = Array("abcdefghijklmnopqrstuvwxyz")
    static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let digits = Array("0123456789")
    static let defaultSymbols = "~!@#$%^&*()_+"
    /// The longest password (and largest minimum) a transformation may ask for.
    static let maximumLength = 4096

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let minimums = classes.reduce(0) { $0 + $1.minimum }  // each at most maximumLength: no overflow
        guard minimums <= length else {
            throw FunctionError("the minimums add up to \(minimums), more than passwordLength \(length)")
        }
        var password: [Character] = []
        for (characters, minimum) in classes {
            for _ in 0..<minimum { password.append(characters.randomElement(using: &environment.random)!) }
        }
        let pool = classes.flatMap(\.characters)
        while password.count < length { password.append(pool.randomElement(using: &environment.random)!) }
        password.shuffle(using: &environment.random)
        return .string(String(password))
    }
}
