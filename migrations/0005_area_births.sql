-- An index of memory area births, as mmuEntryBirth is for entries, so that a diff between two
-- generations of a set reads only the area rows born in between. Unlike entries, a set's first
-- generation (born = 0) is indexed too: areas are few (a process has hundreds, not millions).

CREATE INDEX memoryAreaBirth ON memoryArea (setId, born);
