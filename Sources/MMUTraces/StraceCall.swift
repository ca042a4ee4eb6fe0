import MMUCore

/// One complete `strace` call line, `name(arguments) = result`, split into its parts.
struct StraceCall {
    /// The system call's name.
    let name: String
    /// The top-level arguments, trimmed.
    let arguments: [Substring]
    /// The first word of the result (`0x7f…`, `0`, `-1`, `?`).
    let result: Substring
    /// Whether the call failed (`-1 ERRNO`).
    let failed: Bool

    /// The calls that become events (when they succeed).
    static let modelled: Set<String> = [
        "mmap", "mmap2", "munmap", "mprotect", "pkey_mprotect", "brk", "mremap", "madvise", "clone", "clone3",
        "fork", "vfork", "execve", "execveat",
    ]

    /// The calls that create a process.
    static let forkNames: Set<String> = ["clone", "clone3", "fork", "vfork"]

    /// Splits a complete call line; `nil` when it does not start with `name(`.
    ///
    /// - Throws: ``TraceError/Reason/missingResult(call:)`` when the arguments are not closed
    ///   or no ` = result` follows.
    init?(_ text: String) throws(TraceError.Reason) {
        guard let name = StraceParser.callName(text) else { return nil }
        self.name = name
        let utf8 = Array(text.utf8)
        var index = name.utf8.count + 1
        var depth = 0
        var angles = 0
        var arguments: [Substring] = []
        var argumentStart = index
        var closed: Int?
        func substring(_ start: Int, _ end: Int) -> Substring {
            let lower = text.utf8.index(text.startIndex, offsetBy: start)
            let upper = text.utf8.index(text.startIndex, offsetBy: end)
            return text[lower..<upper].trimmingSpaces
        }
        scan: while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                while index < utf8.count, utf8[index] != UInt8(ascii: "\"") {
                    if utf8[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "<") where index > 0 && (utf8[index - 1] >= .zero && utf8[index - 1] <= .nine):
                angles += 1
            case UInt8(ascii: ")") where depth == 0 && angles == 0:
                closed = index
                break scan
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: ">") where angles > 0:
                angles -= 1
            case UInt8(ascii: ",") where depth == 0 && angles == 0:
                arguments.append(substring(argumentStart, index))
                argumentStart = index + 1
            default:
                break
            }
            index += 1
        }
        guard let close = closed else { throw .missingResult(call: name) }
        let last = substring(argumentStart, close)
        if !last.isEmpty || !arguments.isEmpty { arguments.append(last) }
        self.arguments = arguments
        let tail = substring(close + 1, utf8.count)
        guard tail.hasPrefix("=") else { throw .missingResult(call: name) }
        let words = tail.dropFirst().split(separator: " ", maxSplits: 2)
        guard let first = words.first else { throw .missingResult(call: name) }
        self.result = first
        self.failed = first.hasPrefix("-") && words.count > 1 && words[1].first == "E"
    }

    /// The event the call stands for, counting skipped calls in `statistics`.
    ///
    /// - Returns: `nil` for a call that is skipped (failed, unknown result, not modelled).
    /// - Throws: ``TraceError/Reason`` for a modelled call with malformed arguments or result.
    func action(statistics: inout TraceStatistics) throws(TraceError.Reason) -> TraceEvent.Action? {
        guard Self.modelled.contains(name) else {
            statistics.otherCalls += 1
            return nil
        }
        if failed || result == "?" {
            statistics.failedCalls += 1
            return nil
        }
        switch name {
        case "mmap", "mmap2":
            try expectArguments(6)
            let fd = try fileDescriptor(4)
            let offset = try number(5, expected: "a file offset")
            return .systemCall(
                .mmap(
                    SystemCall.MapRequest(
                        address: try address(0), length: try number(1, expected: "a length"),
                        protection: try protection(2), flags: try mapFlags(3), fileDescriptor: fd.number, path: fd.path,
                        offset: name == "mmap2" ? offset << PageSize.minimumShift : offset, result: try resultAddress())))
        case "munmap":
            try expectArguments(2)
            return .systemCall(.munmap(address: try requiredAddress(0), length: try number(1, expected: "a length")))
        case "mprotect", "pkey_mprotect":
            try expectArguments(name == "mprotect" ? 3 : 4)
            return .systemCall(
                .mprotect(
                    address: try requiredAddress(0), length: try number(1, expected: "a length"),
                    protection: try protection(2)))
        case "brk":
            try expectArguments(1)
            return .systemCall(.brk(requested: try address(0), result: try resultAddress()))
        case "mremap":
            guard arguments.count == 4 || arguments.count == 5 else {
                throw .argumentCount(call: name, expected: "4 or 5", found: arguments.count)
            }
            let flags = try remapFlags(3)
            return .systemCall(
                .mremap(
                    SystemCall.RemapRequest(
                        oldAddress: try requiredAddress(0), oldLength: try number(1, expected: "a length"),
                        newLength: try number(2, expected: "a length"), flags: flags,
                        newAddress: arguments.count == 5 ? try address(4) : nil, result: try resultAddress())))
        case "madvise":
            try expectArguments(3)
            let address = try requiredAddress(0)
            let length = try number(1, expected: "a length")
            guard arguments[2] == "MADV_DONTNEED" || arguments[2] == "MADV_REMOVE" else {
                statistics.otherCalls += 1
                return nil
            }
            return .systemCall(.discardPages(address: address, length: length))
        case "clone", "clone3", "fork", "vfork":
            guard let child = Int32(result), child > 0 else { throw .invalidResult(call: name, text: String(result)) }
            let shares = name == "vfork" || cloneFlags().contains("CLONE_VM")
            return .fork(child: child, sharesMemory: shares)
        default:
            let position = name == "execveat" ? 1 : 0
            guard arguments.count > position else {
                throw .argumentCount(call: name, expected: name == "execveat" ? "5" : "3", found: arguments.count)
            }
            var path = arguments[position]
            if path.hasPrefix("\"") {
                path = path.dropFirst()
                if let end = path.lastIndex(of: "\"") { path = path[..<end] }
            }
            return .exec(path: String(path))
        }
    }

    private func expectArguments(_ count: Int) throws(TraceError.Reason) {
        guard arguments.count == count else {
            throw .argumentCount(call: name, expected: String(count), found: arguments.count)
        }
    }

    private func invalid(_ position: Int, _ expected: String) -> TraceError.Reason {
        .invalidArgument(call: name, position: position + 1, text: String(arguments[position]), expected: expected)
    }

    /// A number in decimal or `0x` hexadecimal.
    static func parseNumber(_ text: Substring) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    private func number(_ position: Int, expected: String) throws(TraceError.Reason) -> UInt64 {
        guard let value = Self.parseNumber(arguments[position]) else { throw invalid(position, expected) }
        return value
    }

    /// An address argument; `nil` for `NULL`.
    private func address(_ position: Int) throws(TraceError.Reason) -> VirtualAddress? {
        if arguments[position] == "NULL" { return nil }
        return VirtualAddress(try number(position, expected: "an address or NULL"))
    }

    private func requiredAddress(_ position: Int) throws(TraceError.Reason) -> VirtualAddress {
        if arguments[position] == "NULL" { return VirtualAddress(0) }
        return VirtualAddress(try number(position, expected: "an address"))
    }

    private func resultAddress() throws(TraceError.Reason) -> VirtualAddress {
        guard let value = Self.parseNumber(result) else { throw .invalidResult(call: name, text: String(result)) }
        return VirtualAddress(value)
    }

    /// `PROT_` names joined by `|`; the user bit is added.
    private func protection(_ position: Int) throws(TraceError.Reason) -> Protection {
        var protection: Protection = .user
        for part in arguments[position].split(separator: "|") {
            switch part {
            case "PROT_READ": protection.insert(.read)
            case "PROT_WRITE": protection.insert(.write)
            case "PROT_EXEC": protection.insert(.execute)
            case "PROT_NONE", "PROT_SEM", "PROT_GROWSDOWN", "PROT_GROWSUP", "PROT_BTI", "PROT_MTE", "PROT_SAO": break
            default:
                guard Self.parseNumber(part) != nil else {
                    throw invalid(position, "PROT_ names (PROT_READ|PROT_WRITE|PROT_EXEC or PROT_NONE) joined by |")
                }
            }
        }
        return protection
    }

    private func mapFlags(_ position: Int) throws(TraceError.Reason) -> SystemCall.MapFlags {
        var flags: SystemCall.MapFlags = []
        for part in arguments[position].split(separator: "|") {
            if let known = SystemCall.MapFlags.names[String(part)] {
                flags.formUnion(known)
            } else if !part.hasPrefix("MAP_"), Self.parseNumber(part) == nil {
                throw invalid(position, "MAP_ names joined by |")
            }
        }
        return flags
    }

    private func remapFlags(_ position: Int) throws(TraceError.Reason) -> SystemCall.RemapFlags {
        var flags: SystemCall.RemapFlags = []
        for part in arguments[position].split(separator: "|") {
            if let known = SystemCall.RemapFlags.names[String(part)] {
                flags.formUnion(known)
            } else if Self.parseNumber(part) == nil {
                throw invalid(position, "MREMAP_ names joined by |, or 0")
            }
        }
        return flags
    }

    /// `-1`, `3` or `3</path>` (`strace -y`).
    private func fileDescriptor(_ position: Int) throws(TraceError.Reason) -> (number: Int32, path: String) {
        let text = arguments[position]
        let digits = text.prefix { $0 == "-" || $0.isNumber }
        guard let number = Int32(digits) else { throw invalid(position, "a file descriptor") }
        let rest = text.dropFirst(digits.count)
        guard !rest.isEmpty else { return (number, "") }
        guard rest.first == "<", rest.last == ">" else { throw invalid(position, "a file descriptor, or N</path>") }
        return (number, String(rest.dropFirst().dropLast()))
    }

    /// The `CLONE_` flags of a `clone` or `clone3` call.
    private func cloneFlags() -> [Substring] {
        for argument in arguments {
            guard let range = argument.range(of: "flags=") else { continue }
            let value = argument[range.upperBound...].prefix { $0 != "," && $0 != "}" && $0 != " " }
            return value.split(separator: "|")
        }
        return []
    }
}
