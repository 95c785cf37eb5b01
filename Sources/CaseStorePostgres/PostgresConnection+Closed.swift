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
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            closeFuture.whenComplete { _ in answer.give(.failure(ConnectionClosed())) }
            Task {
                do {
                    var rows: [PostgresRow] = []
                    for try await row in try await self.query(query, logger: logger) { rows.append(row) }
                    answer.give(.success(rows))
                } catch {
                    answer.give(.failure(error))
                }
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
