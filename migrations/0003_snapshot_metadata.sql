-- What a tool saves with a snapshot to resume from it exactly (JSON text): for a simulated
-- process, the simulator's state that its translation set cannot hold (which processes share
-- a set, program breaks, the options of the run).
ALTER TABLE snapshot ADD COLUMN metadata TEXT;
