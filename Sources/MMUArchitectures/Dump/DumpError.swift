import MMUCore

/// Why a memory dump could not be read or walked: the stage that failed and what is wrong.
public struct DumpError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where in reading a dump something failed.
    public enum Stage: String, Hashable, Sendable {
        /// Opening the file.
        case open
        /// The ELF header and program headers.
        case header
        /// The ELF notes (QEMU's CPU state).
        case notes
        /// The control registers and the root.
        case registers
        /// Walking the page tables.
        case walk
    }

    /// The stage that failed.
    public var stage: Stage
    /// What is wrong, with control characters escaped.
    public var message: String

    /// Creates an error.
    public init(_ stage: Stage, _ message: String) {
        self.stage = stage
        self.message = message
    }

    /// `STAGE: MESSAGE`.
    public var description: String { "\(stage.rawValue): \(message)" }
}
