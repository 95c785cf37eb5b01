import Foundation
import Gateway
import Synchronization
import Testing

/// The group commit's hand-off gives a group time to gather (issue 15: fewer, larger commits).
@Suite("Group commit hand-off")
struct GroupHandOffTests {
    final class Groups: Sendable {
        let groups = Mutex<[[Int]]>([])
        func add(_ group: [Int]) { groups.withLock { $0.append(group) } }
        var all: [[Int]] { groups.withLock { $0 } }
    }

    @Test("items handed in while a group gathers are committed in that one group, in order")
    func gathers() async throws {
        let handOff = GroupHandOff<Int>(maxItems: 100, gather: .milliseconds(400))
        let groups = Groups()
        let committing = Task { await handOff.commitGroups { groups.add($0) } }
        await handOff.add(1, bytes: 1)
        try await Task.sleep(for: .milliseconds(50))  // the first item's group is gathering now
        for item in 2...5 { await handOff.add(item, bytes: 1) }
        try await Task.sleep(for: .milliseconds(800))
        handOff.finish()
        await committing.value
        #expect(groups.all == [[1, 2, 3, 4, 5]])
    }

    @Test("a full group is committed at once, without waiting out the gathering time")
    func fullGroupGoesAtOnce() async throws {
        let handOff = GroupHandOff<Int>(maxItems: 3, gather: .seconds(30))
        let groups = Groups()
        let committing = Task { await handOff.commitGroups { groups.add($0) } }
        for item in 1...3 { await handOff.add(item, bytes: 1) }
        let deadline = ContinuousClock.now + .seconds(10)
        while groups.all.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(groups.all == [[1, 2, 3]])
        handOff.finish()
        await committing.value
    }
}
