import CaseStore
import Foundation
import Testing

@Suite("Case store: timestamps")
struct CaseStoreTimestampTests {
    @Test("timestamps are written exactly as ISO8601DateFormatter wrote them", arguments: [0.0, 1_700_000_000.25, 1_795_000_000.999, -86_400.5])
    func sameForm(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(CaseStore.batchTimestamp(date) == ISO8601DateFormatter().string(from: date))
    }
}
