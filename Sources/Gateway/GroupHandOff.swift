import Foundation

/// Group commit's hand-off: worker threads hand in finished items and go on with the next
/// file; one async task takes everything handed in since it last looked and commits it as one
/// group (one transaction, one flush to disk), so the cost of a commit is shared by every item
/// in it and the workers never wait on the disk. Groups grow by themselves while a commit is
/// slow; when the store keeps up, each group is given `gather` to fill before it is taken (each
/// commit writes the journal, syncs twice, and writes the index pages and a full-text segment
/// again, whatever its size: 25 ms took 500 files' import from ~32 commits to ~19, -5 % time).
///
/// `add` blocks the worker only while more than `maxPendingBytes` wait (the items handed in
/// and the group being committed), so memory stays bounded when the store is the slower side.
public final class GroupHandOff<Item: Sendable>: @unchecked Sendable {
    // @unchecked: every mutable field is read and written only under `condition`.
    private let condition = NSCondition()
    private var pending: [(item: Item, bytes: Int)] = []
    private var pendingBytes = 0
    /// Tasks suspended in `add` until room is made.
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let maxItems: Int
    private let maxPendingBytes: Int
    private let gather: Duration
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// - gather: how long a group may wait for more items once the first is handed in; the
    ///   wait ends as soon as the group is full, half the memory bound waits, or `finish` is called.
    public init(maxItems: Int = 256, maxPendingBytes: Int = 32 << 20, gather: Duration = .zero) {
        self.maxItems = max(1, maxItems)
        self.maxPendingBytes = max(1, maxPendingBytes)
        self.gather = gather
        (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Hands in one item (from any thread); `bytes` is what it holds in memory, for the bound.
    public func add(_ item: Item, bytes: Int) {
        condition.lock()
        while pendingBytes >= maxPendingBytes && !pending.isEmpty {
            condition.wait()
        }
        pending.append((item, bytes))
        pendingBytes += bytes
        condition.unlock()
        wake.yield()
    }

    /// Hands in one item from a task: suspends (never blocks a thread of the task pool, which
    /// the committing task may need) while more than `maxPendingBytes` wait.
    public func add(_ item: Item, bytes: Int) async {
        while !tryAdd(item, bytes: bytes) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if !waitForRoom(continuation) { continuation.resume() }
            }
        }
        wake.yield()
    }

    private func tryAdd(_ item: Item, bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard pendingBytes < maxPendingBytes || pending.isEmpty else { return false }
        pending.append((item, bytes))
        pendingBytes += bytes
        return true
    }

    /// Keeps `continuation` to resume when room is made; false when there is room already.
    private func waitForRoom(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard pendingBytes >= maxPendingBytes && !pending.isEmpty else { return false }
        waiters.append(continuation)
        return true
    }

    private var finished = false

    /// No more items will be handed in: `commitGroups` returns once the last group is committed.
    public func finish() {
        condition.lock()
        finished = true
        condition.unlock()
        wake.finish()
    }

    /// True when the next group should wait for more items: not full, not finished, and no
    /// writer is waiting for room.
    private var shouldGather: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !finished && pending.count < maxItems && pendingBytes < maxPendingBytes / 2 && waiters.isEmpty
    }

    /// Calls `commit` with each group, in the order the items were handed in, until `finish`
    /// has been called and nothing is left. Run it in one task.
    public func commitGroups(_ commit: ([Item]) async -> Void) async {
        for await _ in wakes {
            // Looked at every 5 ms, so a group that fills up, or a finish, ends the wait.
            let end = ContinuousClock.now + gather
            while shouldGather, ContinuousClock.now < end {
                try? await Task.sleep(for: min(.milliseconds(5), end - ContinuousClock.now))
            }
            await drain(commit)
        }
        await drain(commit)
    }

    private func drain(_ commit: ([Item]) async -> Void) async {
        while true {
            let group = takeGroup()
            guard !group.isEmpty else { return }
            await commit(group.map(\.item))
            release(group.reduce(0) { $0 + $1.bytes })
        }
    }

    private func takeGroup() -> [(item: Item, bytes: Int)] {
        condition.lock()
        defer { condition.unlock() }
        let count = min(maxItems, pending.count)
        let group = Array(pending.prefix(count))
        pending.removeFirst(count)
        return group
    }

    private func release(_ bytes: Int) {
        condition.lock()
        pendingBytes -= bytes
        let woken = waiters
        waiters.removeAll()
        condition.broadcast()
        condition.unlock()
        for waiter in woken { waiter.resume() }
    }
}
