import GRDB
import Synchronization

/// The ``WarmSet``s of a store kept warm (see ``TranslationStore/keepingSetsWarm()``): one per
/// set its transactions wrote, handed to each transaction on the set and back after it commits.
///
/// A transaction takes its set's copy out, so a transaction that fails never hands back a copy
/// its rollback made wrong; a copy handed back after a commit that then fails carries a stamp
/// the database no longer matches, and the next transaction drops it.
final class WarmSets: Sendable {
    private let held = Mutex<State>(State())

    private struct State {
        var sets: [Int64: WarmSet] = [:]
        /// Sets too large to hold, or whose copy a transaction had to give up: read from the
        /// database from then on.
        var cold: Set<Int64> = []
    }

    /// The copy of `set` to use in a transaction that sees the global set's head `globalHead`:
    /// the one held, if it is current, or one read from the database now; `nil` when the set is
    /// cold, too large, or shares the view with global entries.
    func take(for set: StoredSet, globalHead: Int64, in db: Database) throws -> WarmSet? {
        let stamp = WarmSet.Stamp(
            generation: set.info.headGeneration, headDigest: set.info.headDigest, stateDigest: set.info.stateDigest,
            createdAt: set.info.createdAt, globalHead: globalHead)
        let (held, isCold) = self.held.withLock { state in (state.sets.removeValue(forKey: set.id), state.cold.contains(set.id)) }
        if isCold { return nil }
        if let held, held.stamp == stamp { return held }
        let warm = try WarmSet.read(set, stamp: stamp, in: db)
        if warm == nil { giveUp(set.id) }
        return warm
    }

    /// Holds `warm` for the set's next transaction.
    func keep(_ warm: WarmSet) {
        held.withLock { $0.sets[warm.setID] = warm }
    }

    /// Reads set `setID` from the database from now on.
    func giveUp(_ setID: Int64) {
        held.withLock { state in
            state.sets[setID] = nil
            state.cold.insert(setID)
        }
    }
}
