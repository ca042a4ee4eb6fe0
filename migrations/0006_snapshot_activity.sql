-- Access bits and page counters (entryState, pageActivity) are unversioned: the tables hold
-- only their values at each set's head. A snapshot taken with `keepingActivity` (every
-- snapshot of `mmu simulate`) keeps a copy of the set's rows of both, so that a set restored
-- or duplicated from it starts from the counters as they were when it was taken.
-- activityDigest is the digest of the copied rows (as the set's stateDigest, over entryState
-- and pageActivity rows of the set), or NULL for a snapshot that kept none.
ALTER TABLE snapshot ADD COLUMN activityDigest INTEGER;

-- The set's entryState rows when the snapshot was taken.
CREATE TABLE snapshotEntryState (
    snapshotId INTEGER NOT NULL,
    vpn INTEGER NOT NULL CHECK (vpn >= 0 AND vpn < 4503599627370496),
    accessed INTEGER NOT NULL CHECK (accessed IN (0, 1)),
    dirty INTEGER NOT NULL CHECK (dirty IN (0, 1)),
    PRIMARY KEY (snapshotId, vpn)
) STRICT, WITHOUT ROWID;

-- The set's pageActivity rows when the snapshot was taken.
CREATE TABLE snapshotPageActivity (
    snapshotId INTEGER NOT NULL,
    vpn INTEGER NOT NULL CHECK (vpn >= 0 AND vpn < 4503599627370496),
    accesses INTEGER NOT NULL CHECK (accesses >= 0),
    writes INTEGER NOT NULL CHECK (writes >= 0),
    faults INTEGER NOT NULL CHECK (faults >= 0),
    firstGeneration INTEGER NOT NULL,
    lastGeneration INTEGER NOT NULL,
    PRIMARY KEY (snapshotId, vpn)
) STRICT, WITHOUT ROWID;
