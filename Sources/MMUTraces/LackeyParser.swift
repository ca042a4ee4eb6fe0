import MMUCore

/// Parses valgrind lackey output (`--tool=lackey --trace-mem=yes`), one line at a time.
///
/// Lines are `I  addr,size` (instruction fetch), ` L addr,size` (load), ` S addr,size` (store)
/// and ` M addr,size` (modify), with the address in hexadecimal and the size in decimal.
/// `==PID==` banner lines are skipped, and give the pid of the accesses that follow. `SB addr`
/// lines (`--trace-superblocks=yes`) and blank lines are skipped too.
struct LackeyParser {
    /// The pid of the last banner line, if any.
    private(set) var processID: Int32?

    /// Parses one line (without its newline).
    ///
    /// - Returns: The access, or `nil` for a line that is skipped.
    /// - Throws: The ``TraceError/Reason`` of a malformed line.
    /// - Complexity: O(*n*) in the length of the line.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(TraceError.Reason) -> RecordedAccess? {
        if let access = Self.parseCanonical(line) { return access }
        return try parseAny(line)
    }

    /// The common line, fast: an access spelled as lackey prints it (`I  addr,size` or
    /// ` K addr,size`, lowercase hexadecimal, nothing after); `nil` for any other line, which
    /// ``parseAny(_:)`` reads or refuses.
    private static func parseCanonical(_ line: UnsafeBufferPointer<UInt8>) -> RecordedAccess? {
        guard let bytes = line.baseAddress, line.count >= 6 else { return nil }
        let count = line.count
        let kind: RecordedAccess.Kind
        switch (bytes[0], bytes[1]) {
        case (UInt8(ascii: "I"), .space): kind = .instruction
        case (.space, UInt8(ascii: "L")): kind = .load
        case (.space, UInt8(ascii: "S")): kind = .store
        case (.space, UInt8(ascii: "M")): kind = .modify
        default: return nil
        }
        guard bytes[2] == .space else { return nil }
        var index = 3
        var address: UInt64 = 0
        while index < count {
            let byte = bytes[index]
            let digit: UInt8
            if byte &- .zero < 10 {
                digit = byte &- .zero
            } else if byte &- UInt8(ascii: "a") < 6 {
                digit = byte &- UInt8(ascii: "a") &+ 10
            } else {
                break
            }
            address = address &<< 4 | UInt64(digit)
            index += 1
        }
        guard index > 3, index - 3 <= 16, index < count, bytes[index] == .comma else { return nil }
        index += 1
        let sizeStart = index
        var size: UInt32 = 0
        while index < count, bytes[index] &- .zero < 10 {
            size = size &* 10 &+ UInt32(bytes[index] &- .zero)
            index += 1
        }
        guard index == count, index > sizeStart, index - sizeStart <= 9,
            size <= 1 || !address.addingReportingOverflow(UInt64(size) - 1).overflow
        else { return nil }
        return RecordedAccess(kind, at: VirtualAddress(address), size: size)
    }

    /// Parses any line, in any spacing, or says what is wrong with it.
    private mutating func parseAny(_ line: UnsafeBufferPointer<UInt8>) throws(TraceError.Reason) -> RecordedAccess? {
        var index = 0
        let count = line.count
        while index < count, line[index] == .space { index += 1 }
        guard index < count else { return nil }
        let kindByte = line[index]
        if kindByte == .equals {
            readBanner(line, from: index)
            return nil
        }
        let kind: RecordedAccess.Kind
        switch kindByte {
        case UInt8(ascii: "I"): kind = .instruction
        case UInt8(ascii: "L"): kind = .load
        case UInt8(ascii: "S"):
            if index + 1 < count, line[index + 1] == UInt8(ascii: "B") { return nil }
            kind = .store
        case UInt8(ascii: "M"): kind = .modify
        default:
            throw .unknownAccessKind(Self.text(line, from: index, to: Self.wordEnd(line, from: index)))
        }
        index += 1
        guard index < count, line[index] == .space else {
            throw .unknownAccessKind(Self.text(line, from: index - 1, to: Self.wordEnd(line, from: index - 1)))
        }
        while index < count, line[index] == .space { index += 1 }

        let addressStart = index
        var address: UInt64 = 0
        while index < count, let digit = Self.hexValue(line[index]) {
            guard index - addressStart < 16 else {
                throw .invalidAddress(Self.text(line, from: addressStart, to: Self.wordEnd(line, from: addressStart)))
            }
            address = address << 4 | UInt64(digit)
            index += 1
        }
        guard index > addressStart else {
            throw .invalidAddress(Self.text(line, from: addressStart, to: Self.fieldEnd(line, from: addressStart)))
        }
        guard index < count, line[index] == .comma else {
            if index < count, line[index] != .space {
                throw .invalidAddress(Self.text(line, from: addressStart, to: Self.fieldEnd(line, from: addressStart)))
            }
            throw .missingSize
        }
        index += 1

        let sizeStart = index
        var size: UInt32 = 0
        while index < count, line[index] >= .zero, line[index] <= .nine {
            let (product, overflow) = size.multipliedReportingOverflow(by: 10)
            let (sum, carry) = product.addingReportingOverflow(UInt32(line[index] - .zero))
            guard !overflow, !carry else { throw .invalidSize(Self.text(line, from: sizeStart, to: Self.wordEnd(line, from: sizeStart))) }
            size = sum
            index += 1
        }
        guard index > sizeStart, index == count || line[index] == .space || line[index] == .carriageReturn else {
            throw .invalidSize(Self.text(line, from: sizeStart, to: Self.wordEnd(line, from: sizeStart)))
        }
        var rest = index
        while rest < count, line[rest] == .space || line[rest] == .carriageReturn { rest += 1 }
        guard rest == count else { throw .trailingCharacters(Self.text(line, from: rest, to: count)) }
        guard size <= 1 || address.addingReportingOverflow(UInt64(size) - 1).overflow == false else {
            throw .addressOverflow
        }
        return RecordedAccess(kind, at: VirtualAddress(address), size: size)
    }

    /// Reads the pid of a `==PID==` banner line; other lines starting with `=` are left alone.
    private mutating func readBanner(_ line: UnsafeBufferPointer<UInt8>, from start: Int) {
        var index = start
        while index < line.count, line[index] == .equals { index += 1 }
        var pid: Int32 = 0
        var digits = 0
        while index < line.count, line[index] >= .zero, line[index] <= .nine, digits < 9 {
            pid = pid * 10 + Int32(line[index] - .zero)
            digits += 1
            index += 1
        }
        if digits > 0, index < line.count, line[index] == .equals { processID = pid }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case .zero ... .nine: byte - .zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The index of the first space at or after `start`, or the end.
    private static func wordEnd(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < line.count, line[index] != .space { index += 1 }
        return index
    }

    /// The index of the first space or comma at or after `start`, or the end.
    private static func fieldEnd(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < line.count, line[index] != .space, line[index] != .comma { index += 1 }
        return index
    }

    private static func text(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[min(start, end)..<end]), as: UTF8.self)
    }
}
