import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drives headless Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
/// JSON messages ending in NUL on file descriptors 3 and 4), so a test can type into forms,
/// click links and press Back as a person does. Blocking: run it off the cooperative pool.
final class ChromiumDriver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var pid: pid_t = 0
    private let toChrome: Int32
    private let fromChrome: Int32
    private var buffer = Data()
    private var queued: [[String: Any]] = []
    private var nextId = 1
    private var session: String?
    let profile: URL

    init(chromium: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-chromium-\(UUID().uuidString)")
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 3)
        posix_spawn_file_actions_adddup2(&actions, output[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--remote-debugging-pipe", "--user-data-dir=\(profile.path)", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, chromium, &actions, nil, &argv, environ) == 0 else { throw Failure(description: "cannot start \(chromium)") }
        close(input[0])
        close(output[1])
        toChrome = input[1]
        fromChrome = output[0]
        let target = try send("Target.createTarget", ["url": "about:blank"])
        guard let targetId = target["targetId"] as? String else { throw Failure(description: "no target") }
        let attached = try send("Target.attachToTarget", ["targetId": targetId, "flatten": true])
        session = attached["sessionId"] as? String
        _ = try send("Page.enable", [:], onPage: true)
    }

    deinit {
        close(toChrome)
        close(fromChrome)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends a command and returns its result (events that arrive meanwhile are kept).
    @discardableResult
    func send(_ method: String, _ params: [String: Any], onPage: Bool = false) throws -> [String: Any] {
        let id = nextId
        nextId += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if onPage, let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(toChrome, raw.baseAddress! + offset, raw.count - offset)
                guard written > 0 else { throw Failure(description: "Chromium closed its pipe") }
                offset += written
            }
        }
        while true {
            let reply = try readMessage()
            if reply["id"] as? Int == id {
                if let error = reply["error"] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            queued.append(reply)
        }
    }

    /// Waits for a page event (at most `seconds`; a wait, not a measurement).
    func waitFor(_ event: String, seconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let index = queued.firstIndex(where: { $0["method"] as? String == event }) {
                queued.removeSubrange(...index)
                return
            }
            queued.append(try readMessage(until: deadline))
        }
        throw Failure(description: "no \(event) within \(seconds) s")
    }

    func navigate(_ url: String) throws {
        queued.removeAll()
        try send("Page.navigate", ["url": url], onPage: true)
        try waitFor("Page.loadEventFired")
    }

    /// Runs script in the page (DevTools evaluation is not bound by the page's CSP).
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true], onPage: true)
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Runs script that navigates (a submit, a click, Back) and waits for the new page.
    func evaluateAndWait(_ expression: String) throws {
        queued.removeAll()
        _ = try evaluate(expression)
        try waitFor("Page.loadEventFired")
    }

    /// Puts files into an `<input type=file>` as a person choosing them would.
    func setFiles(_ selector: String, _ paths: [String]) throws {
        let document = try send("DOM.getDocument", [:], onPage: true)
        guard let root = (document["root"] as? [String: Any])?["nodeId"] as? Int else { throw Failure(description: "no document") }
        let found = try send("DOM.querySelector", ["nodeId": root, "selector": selector], onPage: true)
        guard let node = found["nodeId"] as? Int, node != 0 else { throw Failure(description: "no \(selector) on the page") }
        try send("DOM.setFileInputFiles", ["nodeId": node, "files": paths], onPage: true)
    }

    /// Sets the window's size (for screenshots a reader can use).
    func resize(width: Int, height: Int) throws {
        try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], onPage: true)
    }

    /// Saves what the page shows as a PNG.
    func screenshot(to file: URL) throws {
        let shot = try send("Page.captureScreenshot", ["format": "png"], onPage: true)
        guard let data = (shot["data"] as? String).flatMap({ Data(base64Encoded: $0) }) else { throw Failure(description: "no screenshot") }
        try data.write(to: file)
    }

    var text: String { ((try? evaluate("document.body ? document.body.innerText : ''")) as? String) ?? "" }
    var location: String { ((try? evaluate("location.href")) as? String) ?? "" }

    private func readMessage(until deadline: Date = Date().addingTimeInterval(30)) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = buffer[buffer.startIndex..<end]
                buffer.removeSubrange(buffer.startIndex...end)
                guard let object = try JSONSerialization.jsonObject(with: message) as? [String: Any] else { continue }
                return object
            }
            var poller = pollfd(fd: fromChrome, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&poller, 1, wait) > 0 else { throw Failure(description: "Chromium did not answer in time") }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(fromChrome, &chunk, chunk.count)
            guard count > 0 else { throw Failure(description: "Chromium closed its pipe") }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}
