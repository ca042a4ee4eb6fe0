import MMUArchitectures
import MMUCore

/// The result the canonical form and a format's documented semantics give for an access:
/// `TranslationSet.entry(containing:)`, then ``PageTableFormat/normalized(_:)``,
/// ``PageTableFormat/rights(for:)`` and ``PageTableFormat/faultsOnStoreToCleanPage``.
enum Expected: Equatable, CustomStringConvertible {
    case mapped(PhysicalAddress, PageSize, AccessRights)
    case fault(TranslationFault.Kind)

    init(format: PageTableFormat, set: TranslationSet, address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) {
        guard format.architecture.addressing.isValid(address) else {
            self = .fault(.nonCanonical)
            return
        }
        guard let entry = set.entry(containing: address), let physical = entry.translate(address) else {
            self = .fault(.notPresent)
            return
        }
        let normalized = format.normalized(entry)
        let rights = format.rights(for: normalized.protection)
        if !rights.allows(access, privilege) {
            self = .fault(.protection)
        } else if format.faultsOnStoreToCleanPage && access == .write && !normalized.attributes.contains(.dirty) {
            self = .fault(.dirtyBit)
        } else {
            self = .mapped(physical, entry.size, rights)
        }
    }

    init(_ result: TranslationResult) {
        switch result {
        case .mapped(let translation): self = .mapped(translation.physicalAddress, translation.size, translation.rights)
        case .fault(let fault): self = .fault(fault.kind)
        }
    }

    var description: String {
        switch self {
        case .mapped(let pa, let size, let rights): "mapped \(pa) \(size) \(rights)"
        case .fault(let kind): "fault \(kind)"
        }
    }
}

extension PageTableFormat {
    /// The physical address width for each page size, for generators.
    var physicalBits: (PageSize) -> Int { { self.physicalAddressBits(for: $0) } }
}
