extension TranslationStore {
    /// This store, with the sets its transactions write held in memory between transactions
    /// (their live entries with access bits, and their page counters), for a replay that runs
    /// thousands of small transactions on the same sets.
    ///
    /// Each transaction on a held set looks its pages up and reads their counters in memory
    /// instead of in the database; what it writes, and what it commits, are the same. A set's copy
    /// is used only while the set's row (head generation, digests) and the global set's head are
    /// as the copy last saw them, so another writer's commit, or a commit that failed after the
    /// copy moved on, makes the next transaction read the set again. A set with global entries
    /// in view, or with more than about two million live entries or counters, is not held.
    ///
    /// Copies of the returned store share the held sets.
    package func keepingSetsWarm() -> TranslationStore {
        var warm = self
        warm.warmSets = warmSets ?? WarmSets()
        return warm
    }
}
