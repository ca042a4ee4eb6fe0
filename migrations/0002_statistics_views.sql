-- Views for people and tools: readable from the sqlite3 shell, Python, Datasette.
-- Addresses are printed as hexadecimal text; the underlying page numbers are kept beside them.

-- Names of the protection bits (read 1, write 2, execute 4, user 8) and cache modes.
CREATE TABLE protectionName (
    protection INTEGER PRIMARY KEY CHECK (protection BETWEEN 0 AND 15),
    name TEXT NOT NULL
) STRICT;

INSERT INTO protectionName (protection, name)
WITH RECURSIVE bits(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM bits WHERE p < 15)
SELECT p, (CASE WHEN p & 1 THEN 'r' ELSE '-' END) || (CASE WHEN p & 2 THEN 'w' ELSE '-' END)
    || (CASE WHEN p & 4 THEN 'x' ELSE '-' END) || (CASE WHEN p & 8 THEN 'u' ELSE '-' END)
FROM bits;

CREATE TABLE cacheModeName (
    cacheMode INTEGER PRIMARY KEY CHECK (cacheMode BETWEEN 0 AND 3),
    name TEXT NOT NULL
) STRICT;

INSERT INTO cacheModeName (cacheMode, name) VALUES (0, 'wb'), (1, 'wt'), (2, 'wc'), (3, 'uc');

-- The live entries of every stored set (the global set's under 'global').
CREATE VIEW liveEntry AS
SELECT t.name AS setName, printf('0x%x', e.vpn << 12) AS virtualAddress, printf('0x%x', e.pfn << 12) AS physicalAddress,
    1 << e.pageShift AS pageBytes, p.name AS protection, c.name AS cacheMode, e.setId = 1 AS isGlobal,
    coalesce(s.accessed, 0) AS accessed, coalesce(s.dirty, 0) AS dirty, e.born AS bornGeneration, e.vpn, e.pfn
FROM mmuEntry e
JOIN translationSet t ON t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode
LEFT JOIN entryState s ON s.setId = e.setId AND s.vpn = e.vpn
WHERE e.died IS NULL;

-- Every version of every entry, live or historical.
CREATE VIEW entryVersion AS
SELECT t.name AS setName, printf('0x%x', e.vpn << 12) AS virtualAddress, printf('0x%x', e.pfn << 12) AS physicalAddress,
    1 << e.pageShift AS pageBytes, p.name AS protection, c.name AS cacheMode, e.born, e.died, e.vpn, e.pfn
FROM mmuEntry e
JOIN translationSet t ON t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode;

-- One row per set at its head, from counters every transaction keeps current (no scan of the
-- entries). entries and bytesMapped count the set's own entries; the global ones every set
-- sees are counted once, in globalEntries and globalBytes.
CREATE VIEW setStatistics AS
SELECT t.name AS setName, t.architecture, t.headGeneration,
    coalesce((SELECT sum(l.entries) FROM liveSummary l WHERE l.setId = t.id), 0) AS entries,
    coalesce((SELECT sum(l.entries << l.pageShift) FROM liveSummary l WHERE l.setId = t.id), 0) AS bytesMapped,
    coalesce((SELECT sum(l.entries) FROM liveSummary l WHERE l.setId = 1), 0) AS globalEntries,
    coalesce((SELECT sum(l.entries << l.pageShift) FROM liveSummary l WHERE l.setId = 1), 0) AS globalBytes,
    (SELECT count(*) FROM entryState s WHERE s.setId = t.id AND s.accessed = 1) AS accessed,
    (SELECT count(*) FROM entryState s WHERE s.setId = t.id AND s.dirty = 1) AS dirty,
    t.storedRows,
    t.storedRows - coalesce((SELECT sum(l.entries) FROM liveSummary l WHERE l.setId = t.id), 0) AS historyRows,
    (SELECT count(*) FROM snapshot s WHERE s.setId = t.id) AS snapshots,
    (SELECT count(*) FROM transactionLog l WHERE l.setId = t.id) AS transactions
FROM translationSet t;

-- Live entries and bytes per set and page size.
CREATE VIEW pageSizeStatistics AS
SELECT t.name AS setName, l.pageShift, 1 << l.pageShift AS pageBytes, sum(l.entries) AS entries,
    sum(l.entries << l.pageShift) AS bytes
FROM liveSummary l JOIN translationSet t ON t.id = l.setId
GROUP BY l.setId, l.pageShift;

-- Live entries and bytes per set and protection.
CREATE VIEW protectionStatistics AS
SELECT t.name AS setName, p.name AS protection, sum(l.entries) AS entries, sum(l.entries << l.pageShift) AS bytes
FROM liveSummary l JOIN translationSet t ON t.id = l.setId JOIN protectionName p ON p.protection = l.protection
GROUP BY l.setId, l.protection;

-- Per-page counters (the proposal's mkcount): hottest pages, pages touched once, working sets.
CREATE VIEW pageHeat AS
SELECT t.name AS setName, printf('0x%x', a.vpn << 12) AS virtualAddress, a.accesses, a.writes, a.faults,
    a.firstGeneration, a.lastGeneration, a.vpn
FROM pageActivity a JOIN translationSet t ON t.id = a.setId;

-- Snapshots with their set names.
CREATE VIEW snapshotList AS
SELECT t.name AS setName, s.name AS snapshot, s.generation, s.createdAt
FROM snapshot s JOIN translationSet t ON t.id = s.setId;

-- The transaction log with set names (sets deleted since show as #id).
CREATE VIEW transactionHistory AS
SELECT l.sequence, coalesce(t.name, '#' || l.setId) AS setName, l.generation, l.committedAt, l.label,
    l.maps, l.unmaps, l.protects, l.resizes, l.globals, l.copies, l.accesses, l.areas, l.entriesAdded, l.entriesRemoved
FROM transactionLog l LEFT JOIN translationSet t ON t.id = l.setId;

-- Memory areas (VMAs) live at each set's head.
CREATE VIEW liveArea AS
SELECT t.name AS setName, printf('0x%x', a.vpn << 12) AS startAddress, printf('0x%x', (a.vpn + a.pageCount) << 12) AS endAddress,
    a.pageCount << 12 AS bytes, p.name AS protection, a.kind, a.isShared, a.name
FROM memoryArea a JOIN translationSet t ON t.id = a.setId JOIN protectionName p ON p.protection = a.protection
WHERE a.died IS NULL;
