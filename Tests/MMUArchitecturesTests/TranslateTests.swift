import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

struct TranslateTests {
    @Test(arguments: Fixtures.cases)
    func walkAgreesWithCanonicalLookup(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        let set = Fixtures.randomSet(format, seed: seed, count: 2000, random: &random)
        let table = try format.makeTable(for: set)
        var disagreements: [String] = []
        for query in 0..<6000 {
            let address = random.address(in: set, mapped: query % 2 == 0)
            for access in MemoryAccess.allCases {
                for privilege in PrivilegeLevel.allCases {
                    let expected = Expected(format: format, set: set, address: address, access: access, privilege: privilege)
                    let actual = Expected(table.translate(address, access: access, privilege: privilege))
                    if actual != expected, disagreements.count < 5 {
                        disagreements.append("\(address) \(access) \(privilege): walk \(actual), canonical \(expected)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements)")
    }
}
