import Chrono
import Foundation

extension SimulationClock {
    /// `milliseconds()` as a `Date`, for job and real-time logs.
    func date() -> Date {
        Date(timeIntervalSince1970: Double(milliseconds()) / 1000)
    }
}
