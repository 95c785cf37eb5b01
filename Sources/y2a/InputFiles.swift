import ArgumentParser
import Gateway

/// Refuses an input named on the command line that exists but is not a regular file (a FIFO
/// would block the read forever, a device would never end): `IO-NOT-REGULAR`, exit 3. A missing
/// path is left to the command, which names it in its own words.
func refuseNonRegularInputs(_ paths: [String], command: String) throws {
    for path in paths where InputPath.kind(of: path) != nil {
        do {
            try InputPath.requireRegularFile(path)
        } catch {
            printError("\(command): \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}
