import Foundation
import Gateway
import TestSupport
import Testing

/// `AtomicFileGroup`, behind `y2a convert --out`: many files flushed to disk together.
@Suite("Grouped atomic writes")
struct GroupWriteTests {
    @Test("grouped atomic files: every file complete under its name, mode 0600, no temporary file left")
    func atomicFileGroup() throws {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let group = try AtomicFileGroup(directory: folder, groupSize: 3)
        let contents = (0..<10).map { Data("file \($0)\n".utf8) }
        DispatchQueue.concurrentPerform(iterations: contents.count) { index in
            try? group.write(contents[index], name: "f\(index).json", tag: index)
        }
        let (written, failures) = group.finish()
        #expect(failures.isEmpty)
        #expect(Set(written.map(\.0)) == Set(0..<10))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == (0..<10).map { "f\($0).json" }.sorted())
        for index in 0..<10 {
            let path = folder.appendingPathComponent("f\(index).json").path
            #expect(FileManager.default.contents(atPath: path) == contents[index])
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("a file that cannot be written is reported; nothing half-written appears")
    func atomicFileGroupFailure() throws {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let group = try AtomicFileGroup(directory: folder)
        try FileManager.default.removeItem(at: folder)
        #expect(throws: GatewayError.self) { try group.write(Data("x".utf8), name: "a.json", tag: 0) }
        #expect(group.finish().written.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
