import MMUCore

extension RadixPageTable {
    /// Walks the encoded table for `address` from its root, as the hardware does.
    ///
    /// Above the last level, table pointers take the codec's fast path
    /// (``RadixEntryCodec/nextTableAddress(_:level:and:or:)``) and the next table is found by
    /// subtracting the primary run's base address; the entry that ends the walk (a leaf or a
    /// fault) goes through the codec's full decode. The descent is written out for the deepest
    /// format (five levels, so at most four table pointers) with each step's level a constant:
    /// compiled for one codec, the steps below its last level vanish and every shift and mask
    /// is an immediate, so a walk reads nothing but the table words.
    ///
    /// - Complexity: O(levels).
    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let root = codec.root(of: va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        var walk = RadixWalk(store: store)
        let shape = codec.walkShape
        // Roots are 0 or 1 (a constant 0 for codecs with one root).
        let rootWord = root == 0 ? rootWords.0 : rootWords.1
        var raw = entry(walk.words, rootWord, Int(truncatingIfNeeded: (va &>> shape.topShift) & shape.topIndexMask))
        var level = 0
        descent: do {
            guard descend(from: 0, va, &raw, &walk) else { break descent }
            level = 1
            guard descend(from: 1, va, &raw, &walk) else { break descent }
            level = 2
            guard descend(from: 2, va, &raw, &walk) else { break descent }
            level = 3
            guard descend(from: 3, va, &raw, &walk) else { break descent }
            level = 4
        }
        if walk.isOutsideTables {
            // Memory outside the table pages reads as zero: the next level is not present.
            return .fault(TranslationFault(.notPresent, level: level &+ 1))
        }
        switch codec.decode(raw, level: level) {
        case .leaf(let physical, let rights):
            let effective = codec.effectiveRights(ofLeaf: raw, rights: rights, and: walk.andBits, or: walk.orBits)
            guard effective.allows(access, privilege) else { return .fault(TranslationFault(.protection, level: level)) }
            // Most walks end at the last level: its size without a switch on the level.
            let size = level == codec.lastLevel ? leafSizes.lastLevel : leafSizes[level]
            let offset = va & ((1 &<< UInt64(truncatingIfNeeded: size.shift)) &- 1)
            return .mapped(
                Translation(physicalAddress: PhysicalAddress(physical | offset), size: size, rights: effective, level: level))
        case .invalid:
            return .fault(TranslationFault(.notPresent, level: level))
        case .accessFlagClear:
            return .fault(TranslationFault(.accessFlag, level: level))
        case .reserved:
            return .fault(TranslationFault(.reservedBits, level: level))
        case .table:
            // Unreachable: codecs take every table pointer through `nextTableAddress` (its contract).
            assertionFailure("a table pointer the codec's fast path did not take")
            return .fault(TranslationFault(.reservedBits, level: level))
        }
    }

    /// One step of a walk: when `raw` (at `level`, a constant at each call) is a table pointer
    /// above the last level, replaces it with the entry of the next level and returns `true`.
    /// Returns `false` when the walk ends at `raw`, or (marking `walk`) when the pointer leads
    /// outside the table pages.
    @inline(__always)
    private func descend(from level: Int, _ va: UInt64, _ raw: inout UInt64, _ walk: inout RadixWalk) -> Bool {
        guard level < codec.lastLevel,
            let address = codec.nextTableAddress(raw, level: level, and: &walk.andBits, or: &walk.orBits)
        else { return false }
        let base: Int
        let offset = address &- walk.primaryStart
        if offset < walk.primaryBytes {
            base = Int(truncatingIfNeeded: offset &>> 3)
        } else if let slot = slotOffPrimaryRun(ofFrame: address &>> 12) {
            base = slot &* FrameStore.wordsPerPage
        } else {
            walk.isOutsideTables = true
            return false
        }
        let shape = codec.walkShape
        let shift = shape.topShift &- UInt64(truncatingIfNeeded: level &+ 1) &* shape.step
        raw = entry(walk.words, base, Int(truncatingIfNeeded: (va &>> shift) & shape.indexMask))
        return true
    }

    /// Entry `index` of the table whose first word is `base` (a live slot's).
    @inline(__always)
    private func entry(_ words: PageMemory, _ base: Int, _ index: Int) -> UInt64 {
        guard codec.hasFourByteEntries else { return words.word(at: base &+ index) }
        let word = words.word(at: base &+ index &>> 1)
        return index & 1 == 0 ? word & 0xFFFF_FFFF : word &>> 32
    }

    /// The store's frame lookup, out of line: walks check the intact primary run themselves.
    @inline(never)
    private func slotOffPrimaryRun(ofFrame frame: UInt64) -> Int? { store.slot(ofFrame: frame) }
}

/// The state of one radix walk: the table words, where the primary run lies, and the
/// restriction bits of the table pointers taken so far.
struct RadixWalk {
    /// The table words.
    let words: PageMemory
    /// The physical address of the primary run.
    let primaryStart: UInt64
    /// The bytes of the primary run, 0 when a page of it was freed or moved (then every table
    /// goes through the store's lookup).
    let primaryBytes: UInt64
    /// The AND of the table pointers taken.
    var andBits = UInt64.max
    /// The OR of the table pointers taken.
    var orBits: UInt64 = 0
    /// Whether the last pointer led outside the table pages.
    var isOutsideTables = false

    /// A walk over `store`.
    @inline(__always)
    init(store: FrameStore) {
        words = store.memory
        primaryStart = store.intactRunStart
        primaryBytes = store.intactRunBytes
    }
}
