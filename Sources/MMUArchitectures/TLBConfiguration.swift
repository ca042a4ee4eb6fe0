import MMUCore

/// A TLB, stated as the number of entries it holds for each page size (a TLB with one shared
/// array is stated as that many entries for each size it accepts).
public struct TLBConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// Entries per page size.
    public var entries: [PageSize: Int]

    /// A TLB of `entries` per page size.
    public init(entries: [PageSize: Int]) {
        self.entries = entries
    }

    /// The configuration used when none is stated: a first-level data TLB of a recent x86 core
    /// (Intel Skylake's: 64 entries for 4 KiB pages, 32 for 2 MiB, 4 for 1 GiB).
    public static let example = TLBConfiguration(entries: [.size4KiB: 64, .size2MiB: 32, .size1GiB: 4])

    /// Parses `SIZE:COUNT,SIZE:COUNT`, as in `4K:64,2M:32,1G:4`.
    ///
    /// - Throws: ``ParseError`` naming the part that is not `SIZE:COUNT`.
    public init(parsing text: String) throws(ParseError) {
        var entries: [PageSize: Int] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, let count = Int(fields[1]), count >= 0 else {
                throw ParseError(description: "'\(part)' in the TLB configuration '\(text)' is not SIZE:COUNT (write 4K:64,2M:32,1G:4)")
            }
            let size: PageSize
            do {
                size = try PageSize(parsing: String(fields[0]))
            } catch {
                throw ParseError(description: "in the TLB configuration '\(text)': \(error)")
            }
            guard entries[size] == nil else {
                throw ParseError(description: "the TLB configuration '\(text)' names \(size) twice")
            }
            entries[size] = count
        }
        self.entries = entries
    }

    /// Why a TLB configuration was refused, with the spelling that works.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The message.
        public var description: String
    }

    /// `4KiB:64,2MiB:32,1GiB:4`, smallest size first.
    public var description: String {
        entries.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }
}
