import ArgumentParser
import Testing
@testable import provsim

/// Every command's `--help` at 80 columns: argument-parser wraps text itself, so a help text
/// written with its own line breaks comes out broken mid-sentence ("faithful / fakes of the /
/// services involved"). Texts are paragraphs; only examples and lists keep their lines.
@Suite("Command help")
struct CommandHelpTests {
    static let columns = 80

    /// The root and every subcommand, depth first.
    static func commands(_ command: any ParsableCommand.Type = Provsim.self) -> [any ParsableCommand.Type] {
        [command] + command.configuration.subcommands.flatMap { commands($0) }
    }

    /// A line the wrapper would have filled further: the next line of the same paragraph (same
    /// indentation, starting in lower case: a sentence going on) has a first word that fits.
    static func brokenLines(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var broken: [String] = []
        for (line, next) in zip(lines, lines.dropFirst()) {
            let indent = line.prefix { $0 == " " }.count
            let nextIndent = next.prefix { $0 == " " }.count
            let body = next.dropFirst(nextIndent)
            guard !line.trimmingSpaces.isEmpty, let first = body.first else { continue }
            let firstWord = body.prefix { $0 != " " }
            let twoColumnEntry = body.dropFirst(firstWord.count).hasPrefix("  ")
            let command = ["provsim ", "make ", "swift ", "jq "].contains { body.hasPrefix($0) }
            // An indented line (an example) the parser had to wrap goes on further left.
            if nextIndent < indent, nextIndent == 0 || (first.isLowercase && !twoColumnEntry && !command) {
                broken.append("\(line)⏎\(next)")
                continue
            }
            guard indent == nextIndent, first.isLowercase else { continue }
            // Commands in examples are lines of their own, and so are entries of the parser's
            // own two-column lists (a name, then two spaces or more).
            if command || line.hasSuffix("\\") { continue }
            if twoColumnEntry { continue }
            // The parser fills a line to one column short of the width.
            if line.count + 1 + firstWord.count < columns { broken.append("\(line)⏎\(next)") }
        }
        return broken
    }

    @Test func everyHelpIsWrappedByTheParserAlone() {
        let commands = Self.commands()
        #expect(commands.count > 20, "the walk must reach the subcommands")
        for command in commands {
            let help = Provsim.helpMessage(for: command, columns: Self.columns)
            let name = command._commandName
            // The usage line is the parser's own, on one line whatever the width.
            for line in help.split(separator: "\n") where line.count > Self.columns && line.contains(" ") && !line.hasPrefix("USAGE:") {
                // Only one word too long for the width (a URL, a command) may stick out.
                let words = line.split(separator: " ")
                #expect(words.count == 1 || line.count - (words.last?.count ?? 0) <= Self.columns, "\(name): longer than \(Self.columns): \(line)")
            }
            #expect(Self.brokenLines(help).isEmpty, "\(name): broken mid-sentence:\n\(Self.brokenLines(help).joined(separator: "\n"))")
        }
    }

    @Test func theCheckFindsAHardLineBreak() {
        // The text of the issue: source lines of ~95 characters, wrapped again at 80.
        let help = """
        provsim runs scripted scenarios against IPS-style transformations and
        faithful
        fakes of the services involved.
        """
        #expect(Self.brokenLines(help).count == 2)
        #expect(Self.brokenLines("A paragraph that ends.\n\nexample text").isEmpty)
        #expect(Self.brokenLines("Examples:\n  provsim serve --seed 7 --state\ndata.json").count == 1, "an example wrapped")
        #expect(Self.brokenLines("Examples:\n  provsim jsonpath\n\"$['a']\" - <\nuser.json").count >= 1, "an example wrapped at a long word")
        #expect(Self.brokenLines("  run       Run scenarios and a long\n            text.\n  serve     Serve").isEmpty)
    }
}

private extension String {
    var trimmingSpaces: Substring { drop { $0 == " " } }
}
