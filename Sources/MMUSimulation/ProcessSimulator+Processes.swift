import MMUCore
import MMUTraces

extension ProcessSimulator {
    /// Applies one event to the process it names.
    mutating func dispatch(_ event: TraceEvent) throws(SimulationError) {
        machine.line = event.lineNumber
        if case .exit = event.action {
            try exit(event.processID)
            return
        }
        let name = try setName(of: event.processID)
        switch event.action {
        case .access(let access):
            let pending = try machine.touch(access, space: &spaces[name, default: AddressSpace(setName: name)])
            if pending >= options.accessesPerTransaction { try flush(name) }
        case .systemCall(let call):
            try flush(name)
            try perform(call, in: name)
        case .fork(let child, let sharesMemory):
            try fork(child, of: name, sharesMemory: sharesMemory)
        case .exec(let path):
            try exec(event.processID, in: name, path: path)
        case .exit:
            break
        }
    }

    /// The set of a process, creating the process when it is new: the first process of the
    /// run starts with ``SimulationOptions/initialAreas``; a later unknown one is taken as a
    /// fork of the first (a trace recorded without `-e trace=process` has no clone lines).
    mutating func setName(of process: Int32?) throws(SimulationError) -> String {
        if let name = owners[process] { return name }
        let name = options.setName(for: process)
        if process == nil, isRestored, spaces[name] == nil, let first = firstSetName {
            throw .unnamedProcess(set: first, lineNumber: machine.line)
        }
        if let first = firstSetName, spaces[first] != nil {
            // The first process itself, seen again after its exit line, keeps its set.
            if first != name {
                try flush(first)
                let label = "pid \(process.map(String.init) ?? "initial") appears: fork of \(first)"
                try copy(spaces[first, default: AddressSpace(setName: first)], to: name, label: label)
                machine.report.implicitForks += 1
            }
        } else {
            firstSetName = name
            let areas = AreaMap(options.initialAreas)
            let isNew = spaces[name] == nil
            try transact(in: name, label: "start") { machine, space, tx in
                try machine.clearAll(space: &space, isNew: isNew, tx)
                space.areas = areas
                if !areas.areas.isEmpty { try tx.replaceAreas(in: VirtualRange.everything, with: areas.areas) }
            }
        }
        join(process, to: name)
        return name
    }

    /// Makes `process` a member of the named set.
    private mutating func join(_ process: Int32?, to name: String) {
        owners[process] = name
        spaces[name]?.members.insert(process)
    }

    /// Removes `process` from the set it uses.
    private mutating func leave(_ process: Int32?) {
        guard let name = owners.removeValue(forKey: process) else { return }
        spaces[name]?.members.remove(process)
    }

    /// `fork`, `clone`, `vfork`: a copy of the address space, or a member of the same one.
    mutating func fork(_ child: Int32, of parentName: String, sharesMemory: Bool) throws(SimulationError) {
        try flush(parentName)
        leave(child)
        if sharesMemory {
            join(child, to: parentName)
            machine.report.sharedForks += 1
            return
        }
        let childName = options.setName(for: child)
        guard childName != parentName, let parent = spaces[parentName] else { return }
        try copy(parent, to: childName, label: "fork of \(parentName)")
        join(child, to: childName)
        machine.report.forks += 1
    }

    /// Makes the named set a copy of `parent`: same areas and break, every page copied to a
    /// frame of its own (no copy-on-write sharing), 2 MiB pages to 2 MiB blocks where one is free.
    private mutating func copy(_ parent: AddressSpace, to childName: String, label: String) throws(SimulationError) {
        let isNew = spaces[childName] == nil
        try transact(in: childName, label: label) { machine, space, tx in
            try machine.clearAll(space: &space, isNew: isNew, tx)
            space.areas = parent.areas
            space.heapStart = parent.heapStart
            space.programBreak = parent.programBreak
            if !parent.areas.areas.isEmpty { try tx.replaceAreas(in: VirtualRange.everything, with: parent.areas.areas) }
            var entries: [MMUEntry] = []
            for entry in parent.pages.entries(in: parent.areas) {
                guard let area = space.areas.area(containing: entry.pageNumber) else { continue }
                if entry.size == .size2MiB, let block = machine.pool.allocateBlock() {
                    machine.pool.mapBlock(block)
                    space.pages.insertLarge(region: ResidentPages.region(of: entry.pageNumber), block: block)
                    var copied = entry
                    copied.physicalAddress = PhysicalAddress(frameNumber: block)
                    entries.append(copied)
                } else {
                    for page in entry.range.pages { entries.append(try machine.faultIn(page, area: area, space: &space)) }
                }
            }
            try tx.map(contentsOf: entries)
        }
    }

    /// `execve`: the process starts over with an empty address space (the kernel's own
    /// mappings of the new program are not in the trace). A process that shared its set
    /// (a `vfork` child, a thread) moves to a set of its own.
    mutating func exec(_ process: Int32?, in name: String, path: String) throws(SimulationError) {
        try flush(name)
        machine.report.execs += 1
        var target = name
        if let members = spaces[name]?.members, members.count > 1, options.setName(for: process) != name {
            leave(process)
            target = options.setName(for: process)
            join(process, to: target)
        }
        let isNew = spaces[target] == nil
        try transact(in: target, label: "execve \(path)") { machine, space, tx in
            try machine.clearAll(space: &space, isNew: isNew, tx)
            space.heapStart = nil
            space.programBreak = nil
            space.members.insert(process)
        }
    }

    /// A process or thread ended. Its set keeps its last state (and its frames): the set is the
    /// record of the process.
    mutating func exit(_ process: Int32?) throws(SimulationError) {
        machine.report.exits += 1
        guard let name = owners[process] else { return }
        try flush(name)
        leave(process)
    }
}
