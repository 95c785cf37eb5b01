import Foundation
import Synchronization

/// A one-line progress counter on standard error, only when it is a terminal (silent under cron
/// and in pipes), redrawn at most ten times a second.
final class Progress: Sendable {
    private let total: Int
    private let verb: String
    private let enabled: Bool
    private let state = Mutex<(done: Int, lastDraw: UInt64)>((0, 0))

    init(total: Int, verb: String, quiet: Bool) {
        self.total = total
        self.verb = verb
        self.enabled = !quiet && isatty(STDERR_FILENO) == 1 && total > 1
    }

    func advance() {
        guard enabled else { return }
        state.withLock { state in
            state.done += 1
            let now = DispatchTime.now().uptimeNanoseconds
            guard state.done == total || now - state.lastDraw > 100_000_000 else { return }
            state.lastDraw = now
            let percent = total == 0 ? 100 : state.done * 100 / total
            FileHandle.standardError.write(Data("\r\(verb) \(state.done)/\(total) (\(percent)%)".utf8))
        }
    }

    /// Draws `done/total` when the total is only known as work goes (the batch's inbox).
    func show(_ done: Int, of total: Int) {
        guard enabled else { return }
        state.withLock { state in
            let now = DispatchTime.now().uptimeNanoseconds
            guard done == total || now - state.lastDraw > 100_000_000 else { return }
            state.lastDraw = now
            FileHandle.standardError.write(Data("\r\(verb) \(done)/\(total) (\(total == 0 ? 100 : done * 100 / total)%)".utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
