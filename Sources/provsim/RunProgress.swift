#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Chrono
import Report
import Scenario
import Synchronization

/// What `provsim run` shows while scenarios run. On a terminal: one line redrawn in place with
/// the scenario, the step, its time and the requests the fakes have served. Elsewhere (CI logs):
/// a line when a step has run for 10 s, and every 10 s after, so a long burst is not mistaken
/// for a hang.
final class RunProgress: Sendable {
    private struct Current {
        var scenario: Scenario
        var step: Int
        var started: ContinuousClock.Instant
        var world: World
        var lastHeartbeat: ContinuousClock.Instant
    }

    private struct State {
        var position = 0
        var current: Current?
        var lineShown = false
    }

    let total: Int
    let interactive: Bool
    private let state = Mutex(State())

    init(total: Int, interactive: Bool = isatty(STDOUT_FILENO) == 1) {
        self.total = total
        self.interactive = interactive
    }

    /// Called before each scenario runs.
    func scenarioStarting() {
        state.withLock { $0.position += 1 }
    }

    func observe(_ event: RunnerEvent) {
        state.withLock { s in
            switch event {
            case .stepStarted(let scenario, let index, let world):
                let now = ContinuousClock.now
                s.current = Current(scenario: scenario, step: index, started: now, world: world, lastHeartbeat: now)
            case .stepFinished:
                s.current = nil
            }
        }
    }

    /// Prints a line of permanent output, clearing the live line first.
    func print(_ text: String) {
        let clear = state.withLock { s in
            defer { s.lineShown = false }
            return s.lineShown
        }
        Terminal.write(Array(((clear ? "\r\u{1B}[K" : "") + text + "\n").utf8))
    }

    /// Redraws (or, off a terminal, reports long steps) until cancelled.
    func ticker() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(interactive ? 200 : 1000))
                await tick()
            }
        }
    }

    private func tick() async {
        guard let (current, position) = state.withLock({ s in s.current.map { ($0, s.position) } }) else { return }
        let seconds = (ContinuousClock.now - current.started).inSeconds
        let requests = await current.world.requestsServed()
        let scenario = current.scenario
        let step = scenario.steps[current.step]
        let text = "[\(position)/\(total)] \(scenario.id) · step \(current.step + 1)/\(scenario.steps.count) \(step.kind): \(step.name) · \(NumberText.decimal(seconds, digits: 1)) s · \(NumberText.grouped(requests)) requests served"
        if interactive {
            let width = Self.terminalWidth()
            let line = text.count > width - 1 ? String(text.prefix(width - 2)) + "…" : text
            state.withLock { $0.lineShown = true }
            Terminal.write(Array(("\r\u{1B}[K" + line).utf8))
        } else if ContinuousClock.now - current.lastHeartbeat >= .seconds(10) {
            let stillCurrent = state.withLock { s -> Bool in
                guard s.current?.started == current.started else { return false }
                s.current?.lastHeartbeat = ContinuousClock.now
                return true
            }
            if stillCurrent { Terminal.print("      … " + text) }
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return 100 }
        return Int(size.ws_col)
    }
}
