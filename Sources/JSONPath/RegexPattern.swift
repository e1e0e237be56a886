import Foundation

/// A compiled regular expression with Java's matching semantics, as IPS (a Java service) applies
/// them in conditions (`=~ /…/`) and functions (`matchRegex`, `replaceAllString`, …).
///
/// ICU's engine (behind `NSRegularExpression`) follows `java.util.regex` closely: atomic groups
/// `(?>…)`, possessive quantifiers, `\p{…}` classes and `$1` replacement references all behave the
/// same, and both work on UTF-16 code units.
public struct RegexPattern: Sendable, CustomStringConvertible {
    /// Pattern flags, as letters after the closing slash of a `/…/flags` literal.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let caseInsensitive = Flags(rawValue: 1)
        public static let multiline = Flags(rawValue: 2)
        public static let dotAll = Flags(rawValue: 4)
        public static let comments = Flags(rawValue: 8)

        /// Parses `i`, `m`, `s`, `x` (and accepts Java's `u`, `d`, `U`, which change nothing here).
        public init?(letters: String) {
            var flags: Flags = []
            for letter in letters {
                switch letter {
                case "i": flags.insert(.caseInsensitive)
                case "m": flags.insert(.multiline)
                case "s": flags.insert(.dotAll)
                case "x": flags.insert(.comments)
                case "u", "d", "U": break
                default: return nil
                }
            }
            self = flags
        }
    }

    public let pattern: String
    public let flags: Flags
    private let search: NSRegularExpression
    /// The same pattern anchored at both ends, for Java's `Matcher.matches()` (whole input).
    private let whole: NSRegularExpression?

    public init(_ pattern: String, flags: Flags = []) throws(RegexPatternError) {
        var options: NSRegularExpression.Options = []
        if flags.contains(.caseInsensitive) { options.insert(.caseInsensitive) }
        if flags.contains(.multiline) { options.insert(.anchorsMatchLines) }
        if flags.contains(.dotAll) { options.insert(.dotMatchesLineSeparators) }
        if flags.contains(.comments) { options.insert(.allowCommentsAndWhitespace) }
        do {
            search = try NSRegularExpression(pattern: pattern, options: options)
            // With comments enabled a '#' in the pattern would swallow an appended anchor; fall
            // back to checking the match range then.
            whole = flags.contains(.comments)
                ? nil
                : try NSRegularExpression(pattern: "(?:" + pattern + ")\\z", options: options)
        } catch {
            throw RegexPatternError(pattern: pattern, reason: "invalid regular expression /\(pattern)/")
        }
        self.pattern = pattern
        self.flags = flags
    }

    /// Whether the whole input matches (Java `String.matches`, Jayway's `=~`).
    public func matchesWhole(_ input: String) -> Bool {
        let ns = input as NSString
        let range = NSRange(location: 0, length: ns.length)
        if let whole {
            return whole.firstMatch(in: input, options: [.anchored], range: range) != nil
        }
        guard let match = search.firstMatch(in: input, options: [.anchored], range: range) else { return false }
        return match.range.length == ns.length
    }

    /// Whether the pattern occurs anywhere in the input (Java `Matcher.find`).
    public func occurs(in input: String) -> Bool {
        search.firstMatch(in: input, range: NSRange(location: 0, length: (input as NSString).length)) != nil
    }

    /// The text of capture group `group` (0 = whole match) of the first match, if any.
    public func firstMatchGroup(_ group: Int, in input: String) -> String? {
        let ns = input as NSString
        guard let match = search.firstMatch(in: input, range: NSRange(location: 0, length: ns.length)),
              group >= 0, group < match.numberOfRanges else { return nil }
        let range = match.range(at: group)
        guard range.location != NSNotFound else { return nil }
        return ns.substring(with: range)
    }

    /// Number of capture groups in the pattern.
    public var groupCount: Int { search.numberOfCaptureGroups }

    public enum Occurrence: Sendable { case first, last, all }

    /// Replaces matches using Java replacement syntax (`$1`, `\$` for a literal dollar).
    public func replace(_ occurrence: Occurrence, in input: String, with replacement: String) -> String {
        let ns = input as NSString
        let full = NSRange(location: 0, length: ns.length)
        switch occurrence {
        case .all:
            return search.stringByReplacingMatches(in: input, range: full, withTemplate: replacement)
        case .first, .last:
            let matches = search.matches(in: input, range: full)
            guard let match = occurrence == .first ? matches.first : matches.last else { return input }
            let replaced = search.replacementString(for: match, in: input, offset: 0, template: replacement)
            return ns.replacingCharacters(in: match.range, with: replaced)
        }
    }

    public var description: String { "/\(pattern)/" }
}

public struct RegexPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { reason }
}
