import Logging
import PostgresNIO
import Synchronization

/// The connection closed (the server restarted or ended the session) before a statement on it
/// was answered; `PostgresStore.storeError` says `STORE-UNAVAILABLE`.
struct ConnectionClosed: Error {}

extension PostgresConnection {
    /// A statement's rows, or `ConnectionClosed` as soon as the connection closes, whichever
    /// comes first.
    ///
    /// postgres-nio 1.33 hands a statement to its channel without a promise for the write
    /// (`channel.write(_, promise: nil)`): a statement written just after the server closed the
    /// connection is dropped, and its caller waits forever (vapor/postgres-nio#487, whose fix
    /// was reverted in #501). A `y2a batch` whose server restarted hung so. Here the statement
    /// runs in a task of its own, raced against the connection's close; one left waiting is
    /// abandoned: its connection is gone, so it holds no lock and no row.
    func allRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        let answer = FirstAnswer()
        let watch = CloseWatch.of(self)
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            guard watch.add(answer) else {
                answer.give(.failure(ConnectionClosed()))
                return
            }
            Task {
                let result: Result<[PostgresRow], any Error>
                do {
                    var rows: [PostgresRow] = []
                    for try await row in try await self.query(query, logger: logger) { rows.append(row) }
                    result = .success(rows)
                } catch {
                    result = .failure(error)
                }
                watch.remove(answer)
                answer.give(result)
            }
        }
    }
}

/// Resumes one continuation with the first of several answers.
private final class FirstAnswer: Sendable {
    private let waiting = Mutex<CheckedContinuation<[PostgresRow], any Error>?>(nil)

    func wait(_ continuation: CheckedContinuation<[PostgresRow], any Error>) {
        waiting.withLock { $0 = continuation }
    }

    func give(_ result: Result<[PostgresRow], any Error>) {
        waiting.withLock { $0.take() }?.resume(with: result)
    }
}

/// The statements waiting on one open connection, failed together when it closes: one
/// close callback per connection, not one per statement (a portal node's connections live
/// for hours and run millions of statements).
private final class CloseWatch: Sendable {
    private struct State {
        var closed = false
        var waiting: [ObjectIdentifier: FirstAnswer] = [:]
    }

    private let state = Mutex(State())

    /// The watch of `connection`, made (and hooked to its close) on first use.
    static func of(_ connection: PostgresConnection) -> CloseWatch {
        let key = ObjectIdentifier(connection)
        let (watch, made) = openWatches.all.withLock { all -> (CloseWatch, Bool) in
            if let watch = all[key] { return (watch, false) }
            let watch = CloseWatch()
            all[key] = watch
            return (watch, true)
        }
        if made {
            connection.closeFuture.whenComplete { _ in
                _ = openWatches.all.withLock { $0.removeValue(forKey: key) }
                watch.close()
            }
        }
        return watch
    }

    /// Adds a waiting statement; false when the connection has closed already.
    func add(_ answer: FirstAnswer) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.waiting[ObjectIdentifier(answer)] = answer
            return true
        }
    }

    func remove(_ answer: FirstAnswer) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(answer)) }
    }

    private func close() {
        let waiting = state.withLock { state -> [FirstAnswer] in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for answer in waiting { answer.give(.failure(ConnectionClosed())) }
    }
}

/// Every open connection's watch, by connection.
private final class OpenWatches: Sendable {
    let all = Mutex<[ObjectIdentifier: CloseWatch]>([:])
}

private let openWatches = OpenWatches()
