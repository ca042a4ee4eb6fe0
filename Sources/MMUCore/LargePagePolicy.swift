/// What a range operation does when the range cuts an entry in two.
public enum LargePagePolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Fail with ``MappingError/cutsLargePage(_:_:)``; nothing changes. The default.
    case reject
    /// Split the entry into the largest pages the architecture supports that fit on each side
    /// of the cut, then apply the operation to the pieces inside the range. An entry the
    /// operation would leave unchanged (`protect` to the protection it already has) is not
    /// split: nothing is cut, so nothing needs demoting.
    case demote
}
