import Chrono
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test func formatsWithMilliseconds() {
        #expect(RFC3339.format(epochMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(epochMilliseconds: 1_704_881_472_123) == "2024-01-10T10:11:12.123Z")
        #expect(RFC3339.formatSeconds(epochMilliseconds: 1_570_727_952_999) == "2019-10-10T17:19:12Z")
        #expect(RFC3339.format(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesZonesAndFractions() throws {
        #expect(RFC3339.parse("2024-01-10T10:11:12.123Z")?.epochMilliseconds == 1_704_881_472_123)
        #expect(RFC3339.parse("2024-01-10T10:11:12Z")?.epochMilliseconds == 1_704_881_472_000)
        #expect(RFC3339.parse("2024-01-10T12:11:12+02:00")?.epochMilliseconds == 1_704_881_472_000)
        #expect(RFC3339.parse("2024-01-10T05:11:12-0500")?.epochMilliseconds == 1_704_881_472_000)
        #expect(RFC3339.parse("2024-01-10")?.epochMilliseconds == 1_704_844_800_000)
        #expect(RFC3339.parse("2011-05-13T04:42:34.1234567Z")?.nanosecond == 123_456_700)
        for bad in ["", "2024-13-01T00:00:00Z", "2023-02-29", "2024-01-10T10:11:12", "2024-01-10T25:00:00Z", "2024-01-10T10:11:12.Z", "2024-01-10T10:11:12Zx", "yesterday"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func roundTrips() {
        for ms in [0, 1, 999, 86_399_999, 951_782_400_000, 4_102_444_800_000] {
            #expect(RFC3339.parse(RFC3339.format(epochMilliseconds: ms))?.epochMilliseconds == ms)
        }
    }
}
