-- MMUStore schema, version 1. Never edit this file once shipped: add a new migration instead.
-- Addresses are 4 KiB page numbers (vpn = va >> 12, pfn = pa >> 12): non-negative signed
-- 64-bit integers, so SQL ordering is address ordering, kernel half included.

PRAGMA application_id = 1296913747; -- 'MMUS'

-- One row per translation set (address space). Set 1, 'global', holds the entries that
-- appear in every set; it is created here and can be neither renamed nor deleted.
CREATE TABLE translationSet (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    architecture TEXT,                        -- export format name, or NULL for none declared
    headGeneration INTEGER NOT NULL DEFAULT -1 CHECK (headGeneration >= -1),
    compactedThrough INTEGER NOT NULL DEFAULT -1, -- generations below this are no longer readable
    headDigest INTEGER NOT NULL DEFAULT 0,    -- content digest of the live rows (see transactionLog.digest)
    storedRows INTEGER NOT NULL DEFAULT 0 CHECK (storedRows >= 0), -- mmuEntry rows, live and history
    stateDigest INTEGER NOT NULL DEFAULT 0,   -- digest of the set's entryState and pageActivity rows
    seal INTEGER NOT NULL DEFAULT 0,          -- hash of id, name, architecture, createdAt, compactedThrough
    createdAt TEXT NOT NULL
) STRICT;

INSERT INTO translationSet (id, name, createdAt) VALUES (1, 'global', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Versioned MMU entries. The state of a set at generation G is
--   born <= G AND (died IS NULL OR died > G).
-- A set's first transaction is generation 0; its rows have born = 0, so bgen is NULL and a
-- bulk initial load touches no secondary index.
CREATE TABLE mmuEntry (
    setId INTEGER NOT NULL,
    vpn INTEGER NOT NULL CHECK (vpn >= 0 AND vpn < 4503599627370496),
    born INTEGER NOT NULL CHECK (born >= 0),
    died INTEGER CHECK (died > born),
    pfn INTEGER NOT NULL CHECK (pfn >= 0 AND pfn < 4503599627370496),
    pageShift INTEGER NOT NULL CHECK (pageShift BETWEEN 12 AND 32),
    protection INTEGER NOT NULL CHECK (protection BETWEEN 0 AND 15),
    cacheMode INTEGER NOT NULL CHECK (cacheMode BETWEEN 0 AND 3),
    bgen INTEGER AS (nullif(born, 0)) VIRTUAL,
    PRIMARY KEY (setId, vpn, born)
) STRICT, WITHOUT ROWID;

CREATE INDEX mmuEntryDeath ON mmuEntry (setId, died) WHERE died IS NOT NULL;
CREATE INDEX mmuEntryBirth ON mmuEntry (setId, bgen) WHERE bgen IS NOT NULL;

-- Unversioned accessed/dirty bits of live entries (a row only while a bit is set).
CREATE TABLE entryState (
    setId INTEGER NOT NULL,
    vpn INTEGER NOT NULL,
    accessed INTEGER NOT NULL CHECK (accessed IN (0, 1)),
    dirty INTEGER NOT NULL CHECK (dirty IN (0, 1)),
    PRIMARY KEY (setId, vpn)
) STRICT, WITHOUT ROWID;

-- Unversioned per-4-KiB-page counters (the proposal's mkcount), kept across remaps.
CREATE TABLE pageActivity (
    setId INTEGER NOT NULL,
    vpn INTEGER NOT NULL,
    accesses INTEGER NOT NULL CHECK (accesses >= 0),
    writes INTEGER NOT NULL CHECK (writes >= 0),
    faults INTEGER NOT NULL CHECK (faults >= 0),
    firstGeneration INTEGER NOT NULL,
    lastGeneration INTEGER NOT NULL,
    PRIMARY KEY (setId, vpn)
) STRICT, WITHOUT ROWID;

-- Versioned memory areas (VMAs) of simulated or captured processes.
CREATE TABLE memoryArea (
    setId INTEGER NOT NULL,
    vpn INTEGER NOT NULL CHECK (vpn >= 0 AND vpn < 4503599627370496),
    born INTEGER NOT NULL CHECK (born >= 0),
    died INTEGER CHECK (died > born),
    pageCount INTEGER NOT NULL CHECK (pageCount > 0),
    protection INTEGER NOT NULL CHECK (protection BETWEEN 0 AND 15),
    kind TEXT NOT NULL CHECK (kind IN ('anonymous', 'file', 'heap', 'stack', 'special')),
    isShared INTEGER NOT NULL CHECK (isShared IN (0, 1)),
    name TEXT NOT NULL,
    PRIMARY KEY (setId, vpn, born)
) STRICT, WITHOUT ROWID;

CREATE INDEX memoryAreaDeath ON memoryArea (setId, died) WHERE died IS NOT NULL;

-- Live entry counts per set, page size and protection, kept current by every transaction.
CREATE TABLE liveSummary (
    setId INTEGER NOT NULL,
    pageShift INTEGER NOT NULL,
    protection INTEGER NOT NULL,
    entries INTEGER NOT NULL CHECK (entries >= 0),
    PRIMARY KEY (setId, pageShift, protection)
) STRICT, WITHOUT ROWID;

-- The audit trail: one row per committed mmu transaction, sequence contiguous from 1.
-- globalGeneration is the generation of set 1 that the set's view at this generation includes.
-- digest and globalDigest are the content digests (wrapping 64-bit sums of per-entry and per-area hashes,
-- stored as signed integers) of the set's and the global set's rows visible after the commit.
-- chain links every row to the one before it, so no logged field can change unnoticed.
CREATE TABLE transactionLog (
    sequence INTEGER PRIMARY KEY,
    setId INTEGER NOT NULL,
    generation INTEGER NOT NULL CHECK (generation >= 0),
    globalGeneration INTEGER NOT NULL CHECK (globalGeneration >= -1),
    committedAt TEXT NOT NULL,
    label TEXT,
    maps INTEGER NOT NULL,
    unmaps INTEGER NOT NULL,
    protects INTEGER NOT NULL,
    resizes INTEGER NOT NULL,
    globals INTEGER NOT NULL,
    copies INTEGER NOT NULL,
    accesses INTEGER NOT NULL,
    areas INTEGER NOT NULL,
    entriesAdded INTEGER NOT NULL,
    entriesRemoved INTEGER NOT NULL,
    digest INTEGER NOT NULL,
    globalDigest INTEGER NOT NULL,
    chain INTEGER NOT NULL,                   -- hash of the previous row's chain and this row's fields
    UNIQUE (setId, generation)
) STRICT;

-- Snapshots: cheap names for a set's generation (and the global generation it sees).
CREATE TABLE snapshot (
    id INTEGER PRIMARY KEY,
    setId INTEGER NOT NULL REFERENCES translationSet (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    generation INTEGER NOT NULL CHECK (generation >= -1),
    globalGeneration INTEGER NOT NULL CHECK (globalGeneration >= -1),
    createdAt TEXT NOT NULL,
    seal INTEGER NOT NULL DEFAULT 0,          -- hash of the row's other fields (metadata included)
    UNIQUE (setId, name)
) STRICT;
