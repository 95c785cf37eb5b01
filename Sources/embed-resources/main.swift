import Foundation

// embed-resources OUTPUT ROOT RELATIVE-PATH...
//
// Writes OUTPUT, a Swift file holding each file's bytes (base64, byte for byte) by its path
// relative to ROOT. Run by the EmbedResources build-tool plugin; nothing else calls it.

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: embed-resources OUTPUT ROOT RELATIVE-PATH...\n".utf8))
    exit(2)
}
let output = URL(fileURLWithPath: arguments[arguments.startIndex])
let root = URL(fileURLWithPath: arguments[arguments.startIndex + 1])
var text = "// Generated at build time by embed-resources (Plugins/EmbedResources) from the shipped files: do not edit.\n\n"
text += "let embeddedFiles: [String: String] = [\n"
for path in arguments.dropFirst(2) {
    guard let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
        FileHandle.standardError.write(Data("embed-resources: cannot read \(path)\n".utf8))
        exit(1)
    }
    text += "    \"\(path)\": \"\(bytes.base64EncodedString())\",\n"
}
text += "]\n"
do {
    try Data(text.utf8).write(to: output, options: .atomic)
} catch {
    FileHandle.standardError.write(Data("embed-resources: cannot write \(output.path): \(error)\n".utf8))
    exit(1)
}
