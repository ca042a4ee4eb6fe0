#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EntryLines {
    /// Parses the usual shape of an entry line byte by byte, without allocating.
    ///
    /// Keys the decoder ignores are skipped when their value is a string without escapes, a
    /// boolean, `null` or an integer. Returns `nil` for anything else (escapes, repeated keys,
    /// `null` for a known key, arrays or objects, decimal
    /// strings, underscores, numbers that are not plain integers, non-ASCII bytes, missing
    /// keys, bad values): such a line goes to `JSONDecoder`, which decodes it or names the error.
    struct LineParser {
        private let bytes: UnsafeRawBufferPointer
        private var index = 0

        /// The entry on `line` (trimmed of spaces and tabs), or `nil` when it is not of the usual shape.
        static func entry(_ line: UnsafeRawBufferPointer) -> MMUEntry? {
            var parser = LineParser(bytes: line)
            return parser.object()
        }

        private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        private mutating func object() -> MMUEntry? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var virtualAddress: UInt64?, physicalAddress: UInt64?, size: PageSize?, protection: Protection?, cacheMode: CacheMode?
            var global: Bool?, accessed: Bool?, dirty: Bool?
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                switch (key.count, key.first, key.last) {
                case (2, UInt8(ascii: "v"), UInt8(ascii: "a")):
                    guard virtualAddress == nil, let value = address() else { return nil }
                    virtualAddress = value
                case (2, UInt8(ascii: "p"), UInt8(ascii: "a")):
                    guard physicalAddress == nil, let value = address() else { return nil }
                    physicalAddress = value
                case (4, UInt8(ascii: "s"), UInt8(ascii: "e")) where equal(key, "size"):
                    guard size == nil, let value = pageSize() else { return nil }
                    size = value
                case (10, UInt8(ascii: "p"), UInt8(ascii: "n")) where equal(key, "protection"):
                    guard protection == nil, let value = rights() else { return nil }
                    protection = value
                case (5, UInt8(ascii: "c"), UInt8(ascii: "e")) where equal(key, "cache"):
                    guard cacheMode == nil, let value = cache() else { return nil }
                    cacheMode = value
                case (6, UInt8(ascii: "g"), UInt8(ascii: "l")) where equal(key, "global"):
                    guard global == nil, let value = boolean() else { return nil }
                    global = value
                case (8, UInt8(ascii: "a"), UInt8(ascii: "d")) where equal(key, "accessed"):
                    guard accessed == nil, let value = boolean() else { return nil }
                    accessed = value
                case (5, UInt8(ascii: "d"), UInt8(ascii: "y")) where equal(key, "dirty"):
                    guard dirty == nil, let value = boolean() else { return nil }
                    dirty = value
                default:
                    // The decoder ignores other keys, such as `"record":"entry"` of `mmu show --json`.
                    guard skipSimpleValue() else { return nil }
                }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")), index == bytes.count else { return nil }
                break
            }
            guard let virtualAddress, let physicalAddress, let protection else { return nil }
            var attributes: MMUEntry.Attributes = []
            if global == true { attributes.insert(.global) }
            if accessed == true { attributes.insert(.accessed) }
            if dirty == true { attributes.insert(.dirty) }
            return MMUEntry(
                VirtualAddress(virtualAddress), to: PhysicalAddress(physicalAddress), size: size ?? .size4KiB,
                protection: protection, attributes: attributes, cacheMode: cacheMode ?? .writeBack)
        }

        private func equal(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
        }

        private mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// The bytes of a string without escapes, control or non-ASCII bytes.
        private mutating func string() -> UnsafeRawBufferPointer? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)])
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        /// `"0x…"` with 1 to 16 hexadecimal digits, or a JSON integer of at most 19 digits.
        private mutating func address() -> UInt64? {
            if index < bytes.count, bytes[index] != UInt8(ascii: "\"") { return integer() }
            guard let text = string(), text.count > 2, text.count <= 18, text[0] == UInt8(ascii: "0"),
                  text[1] == UInt8(ascii: "x") || text[1] == UInt8(ascii: "X") else { return nil }
            var value: UInt64 = 0
            for byte in text[2...] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt64(digit)
            }
            return value
        }

        /// A JSON integer without sign, fraction or exponent, of at most 19 digits (no overflow).
        private mutating func integer() -> UInt64? {
            let start = index
            var value: UInt64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value = value &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))  // wraps only past 19 digits, refused below
                index += 1
            }
            let digits = index - start
            guard digits > 0, digits <= 19, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            return value
        }

        /// A byte count, or the form ``PageSize/description`` writes: a power of two below 1024
        /// and `KiB`, `MiB` or `GiB` (other spellings go to the decoder).
        private mutating func pageSize() -> PageSize? {
            if index < bytes.count, bytes[index] != UInt8(ascii: "\"") { return integer().flatMap { PageSize(byteCount: $0) } }
            guard let text = string(), (4...6).contains(text.count), text[text.count - 2] == UInt8(ascii: "i"),
                  text[text.count - 1] == UInt8(ascii: "B"), text[0] != UInt8(ascii: "0") else { return nil }
            var count: UInt64 = 0
            for byte in text[..<(text.count - 3)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                count = count * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            let shift: UInt64
            switch text[text.count - 3] {
            case UInt8(ascii: "K"): shift = 10
            case UInt8(ascii: "M"): shift = 20
            case UInt8(ascii: "G"): shift = 30
            default: return nil
            }
            guard count & (count - 1) == 0 else { return nil }
            return PageSize(byteCount: count << shift)
        }

        private mutating func rights() -> Protection? {
            guard let text = string(), text.count == 4 else { return nil }
            var result: Protection = []
            for (position, letter) in "rwxu".utf8.enumerated() {
                if text[position] == letter {
                    result.insert(Protection(rawValue: 1 << position))
                } else if text[position] != UInt8(ascii: "-") {
                    return nil
                }
            }
            return result
        }

        private mutating func cache() -> CacheMode? {
            guard let text = string(), text.count == 2 else { return nil }
            switch (text[0], text[1]) {
            case (UInt8(ascii: "w"), UInt8(ascii: "b")): return .writeBack
            case (UInt8(ascii: "w"), UInt8(ascii: "t")): return .writeThrough
            case (UInt8(ascii: "w"), UInt8(ascii: "c")): return .writeCombining
            case (UInt8(ascii: "u"), UInt8(ascii: "c")): return .uncached
            default: return nil
            }
        }

        /// Skips a string without escapes, a boolean, `null` or a plain integer.
        private mutating func skipSimpleValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return integer() != nil
            case UInt8(ascii: "n"): return word("null")
            default: return boolean() != nil
            }
        }

        private mutating func boolean() -> Bool? {
            if word("true") { return true }
            if word("false") { return false }
            return nil
        }

        /// Takes `literal` when the bytes at the cursor start with it.
        private mutating func word(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count, memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0 else { return false }
            index += count
            return true
        }
    }
}
