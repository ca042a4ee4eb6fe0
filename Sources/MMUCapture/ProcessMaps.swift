import MMUCore

/// The text of `/proc/PID/maps`, parsed: one ``Mapping`` per line.
///
/// Also reads a layout saved from it (as the lackey fixture's `.maps` file), to give a
/// simulation the areas a lackey trace runs in (``SimulationOptions/initialAreas``).
public struct ProcessMaps: Hashable, Sendable {
    /// One line: `start-end perms offset dev inode [path]`.
    public struct Mapping: Hashable, Sendable {
        /// The pages.
        public var range: VirtualRange
        /// `r`, `w`, `x` as read, write, execute; user mode always.
        public var protection: Protection
        /// `s` (shared) rather than `p` (private).
        public var isShared: Bool
        /// The offset in the file.
        public var offset: UInt64
        /// The device, `major:minor`.
        public var device: String
        /// The inode; 0 for anonymous memory.
        public var inode: UInt64
        /// The path or pseudo name (`[heap]`, `[stack]`, `[vdso]`, `[anon:name]`); empty when anonymous.
        public var path: String

        /// The mapping as a memory area: kind from the path (`[heap]`, `[stack]`, `[vdso]` and
        /// other bracketed kernel names are special, `[anon:…]` and no path anonymous, others files).
        public var area: MemoryArea {
            let kind: MemoryArea.Kind
            switch path {
            case "": kind = .anonymous
            case "[heap]": kind = .heap
            case let name where name == "[stack]" || name.hasPrefix("[stack:"): kind = .stack
            case let name where name.hasPrefix("[anon:") || name.hasPrefix("[anon_shmem:"): kind = .anonymous
            case let name where name.hasPrefix("["): kind = .special
            default: kind = .file
            }
            return MemoryArea(range: range, protection: protection, kind: kind, isShared: isShared, name: path)
        }
    }

    /// The mappings, in file order (sorted by address).
    public var mappings: [Mapping]

    /// The mappings as memory areas.
    public var areas: [MemoryArea] { mappings.map(\.area) }

    /// Parses the text of a maps file.
    ///
    /// - Parameters:
    ///   - source: The file's name, for errors.
    /// - Throws: ``CaptureError/malformedMaps(file:lineNumber:line:)`` for a line of another shape.
    /// - Complexity: O(*n*) in the length of the text.
    public init(parsing text: String, source: String) throws(CaptureError) {
        var mappings: [Mapping] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == " " }) { continue }
            guard let mapping = Self.mapping(line) else {
                throw .malformedMaps(file: source, lineNumber: index + 1, line: String(line))
            }
            if let previous = mappings.last, previous.range.upperPage > mapping.range.lowerPage {
                throw .malformedMaps(file: source, lineNumber: index + 1, line: String(line))
            }
            mappings.append(mapping)
        }
        self.mappings = mappings
    }

    private static func mapping(_ line: Substring) -> Mapping? {
        var fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let path = fields.count == 6 ? String(fields[5].drop { $0 == " " }) : ""
        fields = Array(fields.prefix(5))
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt64(bounds[0], radix: 16), let end = UInt64(bounds[1], radix: 16),
            start < end, start % PageSize.size4KiB.byteCount == 0, end % PageSize.size4KiB.byteCount == 0
        else { return nil }
        let permissions = Array(fields[1])
        guard permissions.count == 4, "r-".contains(permissions[0]), "w-".contains(permissions[1]),
            "x-".contains(permissions[2]), "ps".contains(permissions[3]),
            let offset = UInt64(fields[2], radix: 16), fields[3].contains(":"), let inode = UInt64(fields[4])
        else { return nil }
        var protection: Protection = .user
        if permissions[0] == "r" { protection.insert(.read) }
        if permissions[1] == "w" { protection.insert(.write) }
        if permissions[2] == "x" { protection.insert(.execute) }
        return Mapping(
            range: VirtualRange(pages: (start >> PageSize.minimumShift)..<(end >> PageSize.minimumShift)),
            protection: protection, isShared: permissions[3] == "s", offset: offset, device: String(fields[3]),
            inode: inode, path: path)
    }
}
