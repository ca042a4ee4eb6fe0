import Foundation
import MMUCore

/// Files named on the command line (entries, batches, layouts), read through ``RegularFile``:
/// opened once without blocking, refusing FIFOs, sockets, devices, directories and symbolic
/// links, and at most ``limit`` bytes.
enum InputFile {
    /// The most bytes an input file may hold (1 GiB); it is read whole.
    static let limit: UInt64 = 1 << 30

    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``CommandFailure`` naming the path and what is wrong with it.
    static func contents(of path: String) throws -> Data {
        do {
            return Data(try RegularFile(openingForReading: path).readAll(limit: limit))
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
