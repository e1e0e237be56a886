import Chrono
import Determinism
import JSON

/// Generates realistic users in the shape UAA/XSUAA returns from `GET /Users` (SCIM 1.0 dialect),
/// deterministically from a seed: the same seed always gives the same users, byte for byte.
public struct SyntheticUsers: Sendable {
    public var seed: UInt64
    public var origin: String
    /// How many distinct groups (role collections) users are spread over.
    public var groupCount: Int
    public var zoneId: String

    public init(seed: UInt64, origin: String = "sap.custom", groupCount: Int = 50, zoneId: String = "f3c2e1a0-5b4d-4c3e-9f8a-7b6c5d4e3f21") {
        self.seed = seed
        self.origin = origin
        self.groupCount = max(1, groupCount)
        self.zoneId = zoneId
    }

    static let givenNames = ["Anna", "Ben", "Chiara", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tara", "Uwe", "Vera", "Wen", "Ximena", "Yusuf", "Zoe"]
    static let familyNames = ["Schmidt", "Rossi", "Novak", "Kowalski", "Dubois", "Garcia", "Jensen", "Yilmaz", "Tanaka", "Okafor", "Silva", "Müller", "Andersson", "Kim", "Singh", "Ivanova", "Costa", "Nagy", "O'Brien", "Fischer"]
    static let domains = ["example.com", "corp.example", "mail.example.org"]

    /// User number `index` (0-based). Generating user `i` does not depend on users before it.
    public func user(_ index: Int) -> JSONValue {
        var random = SeededRandom(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let given = Self.givenNames.randomElement(using: &random)!
        let family = Self.familyNames.randomElement(using: &random)!
        let domain = Self.domains.randomElement(using: &random)!
        let login = "\(given).\(family)\(index)".lowercased().filter { $0.isLetter || $0.isNumber || $0 == "." }
        let created = 1_700_000_000 + Int(random.next() % 20_000_000)
        let modified = created + Int(random.next() % 5_000_000)
        let group = Int(random.next() % UInt64(groupCount))
        var members: [(String, JSONValue)] = [
            ("id", .string(random.uuidString())),
            ("externalId", .string("E\(100_000 + index)")),
            ("meta", .object(JSONObject([
                ("version", JSONValue(Int(random.next() % 5))),
                ("created", .string(Self.timestamp(created))),
                ("lastModified", .string(Self.timestamp(modified))),
            ]))),
            ("userName", .string(login)),
            ("name", .object(JSONObject([("familyName", .string(family)), ("givenName", .string(given))]))),
            ("emails", .array([.object(JSONObject([("value", .string("\(login)@\(domain)")), ("primary", .bool(false))]))])),
            ("groups", .array([.object(JSONObject([
                ("value", .string(Self.groupName(group))), ("display", .string(Self.groupName(group))), ("type", "DIRECT"),
            ]))])),
            ("approvals", .array([])),
        ]
        if random.next() % 3 == 0 {
            members.append(("phoneNumbers", .array([.object(JSONObject([("value", .string("+49 6227 \(10_000 + index % 90_000)"))]))])))
        }
        members += [
            ("active", .bool(random.next() % 20 != 0)),
            ("verified", .bool(true)),
            ("origin", .string(origin)),
            ("zoneId", .string(zoneId)),
            ("passwordLastModified", .string(Self.timestamp(created))),
            ("schemas", .array(["urn:scim:schemas:core:1.0"])),
        ]
        return .object(JSONObject(members))
    }

    /// The role collection users are spread over: `RC_000` … `RC_049`.
    public static func groupName(_ index: Int) -> String {
        let digits = String(index)
        return "RC_" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// UAA's timestamp format, `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`; the milliseconds are derived from the
    /// seconds so the text stays deterministic and varied.
    static func timestamp(_ epochSeconds: Int) -> String {
        RFC3339.format(epochMilliseconds: epochSeconds * 1000 + epochSeconds % 1000)
    }
}
