import MMUCore
@testable import MMUDemo
@testable import MMUSimulation
@testable import MMUTraces
import Testing

struct ProcessSimulatorTests {
    static let seeds: [UInt64] = [1, 0xC0FFEE]

    func options(_ policy: PagePolicy, interval: Int? = nil, batch: Int = 64) -> SimulationOptions {
        SimulationOptions(
            pagePolicy: policy, accessesPerTransaction: batch, snapshotInterval: interval,
            physicalMemorySize: 256 << 20)
    }

    @Test(arguments: seeds, PagePolicy.allCases)
    func invariantsHoldAfterEveryTransaction(seed: UInt64, policy: PagePolicy) throws {
        var workload = SyntheticWorkload(seed: seed)
        let events = workload.make(steps: 80)
        let (box, simulator) = try SimulationChecks.run(events, options: options(policy, batch: 16))
        #expect(box.failures.isEmpty, "\(box.failures.prefix(5))")
        let report = simulator.report
        #expect(box.commits == report.transactions)
        #expect(report.demandFaults > 100)
        #expect(report.invalidAccesses > 0)
        #expect(report.forks + report.sharedForks > 0)
        if policy == .transparentHugePages {
            #expect(report.promotions > 0)
            #expect(report.demotions > 0)
        } else {
            #expect(report.promotions == 0)
        }
    }

    @Test(arguments: seeds)
    func hugePagesDifferFromSmallPagesOnlyInPromotions(seed: UInt64) throws {
        var workload = SyntheticWorkload(seed: seed)
        let events = workload.make(steps: 80)
        let small = try SimulationChecks.run(events, options: options(.fourKiB), checkAllocatorEvery: 50).box.memory.sets
        let huge = try SimulationChecks.run(events, options: options(.transparentHugePages), checkAllocatorEvery: 50).box.memory.sets
        try expectOnlyPromotionsDiffer(small: small, huge: huge)
    }

    @Test func lackeyFixtureUnderBothPoliciesDiffersOnlyInPromotions() throws {
        let events = try SimulationChecks.events(of: .lackeyDemo)
        let layout = try TraceFixture.lackeyDemo.layout()
        var small = options(.fourKiB, batch: 4096)
        small.initialAreas = layout
        var huge = small
        huge.pagePolicy = .transparentHugePages
        let smallRun = try SimulationChecks.run(events, options: small, checkAllocatorEvery: 5000)
        let hugeRun = try SimulationChecks.run(events, options: huge, checkAllocatorEvery: 5000)
        #expect(smallRun.box.failures.isEmpty, "\(smallRun.box.failures.prefix(3))")
        #expect(hugeRun.box.failures.isEmpty, "\(hugeRun.box.failures.prefix(3))")
        // The program fills the 2 MiB region at 0x4800000 page by page: one promotion.
        #expect(hugeRun.simulator.report.promotions == 1)
        let set = try #require(hugeRun.box.memory.sets["sim-9376"])
        #expect(set.entry(containing: VirtualAddress(0x480_0000))?.size == .size2MiB)
        #expect(set.entry(containing: VirtualAddress(0x4a0_0000))?.size == .size4KiB)
        try expectOnlyPromotionsDiffer(small: smallRun.box.memory.sets, huge: hugeRun.box.memory.sets)
    }

    /// Same translations page by page, same areas and counters; 2 MiB entries only under thp.
    func expectOnlyPromotionsDiffer(small: [String: TranslationSet], huge: [String: TranslationSet]) throws {
        #expect(Set(small.keys) == Set(huge.keys))
        var promoted = 0
        for (name, smallSet) in small {
            let hugeSet = try #require(huge[name])
            #expect(smallSet.areas == hugeSet.areas, "areas of \(name)")
            #expect(smallSet.pageActivity == hugeSet.pageActivity, "activity of \(name)")
            let smallTable = SimulationChecks.pageTable(smallSet), hugeTable = SimulationChecks.pageTable(hugeSet)
            #expect(smallTable.count == hugeTable.count, "pages of \(name)")
            let differing = smallTable.filter { page, value in
                hugeTable[page].map { $0.frame != value.frame || $0.protection != value.protection } ?? true
            }
            #expect(differing.isEmpty, "\(name): \(differing.count) pages translate differently")
            #expect(smallSet.entries.allSatisfy { $0.size == .size4KiB })
            for entry in hugeSet.entries where entry.size == .size2MiB {
                promoted += 1
                #expect(smallSet.entries(overlapping: entry.range).count == 512)
            }
        }
        #expect(promoted > 0)
    }

    @Test(arguments: seeds)
    func restoringMidRunAndContinuingEqualsRunningStraightThrough(seed: UInt64) throws {
        var workload = SyntheticWorkload(seed: seed)
        let events = workload.make(steps: 80)
        for policy in PagePolicy.allCases {
            let straight = try SimulationChecks.run(events, options: options(policy, interval: 7), checkAllocatorEvery: 1000)
            let snapshots = straight.box.memory.snapshots.dropLast()
            #expect(snapshots.count > 5)
            for snapshot in [snapshots[snapshots.startIndex + 1], snapshots[snapshots.count / 2], snapshots[snapshots.endIndex - 1]] {
                let resumed = SetsBox()
                resumed.memory = InMemorySets(sets: snapshot.sets)
                var simulator = try ProcessSimulator(
                    restoring: snapshot.sets, checkpoint: snapshot.checkpoint, options: options(policy, interval: 7),
                    commit: { name, label, body in try resumed.memory.commit(setName: name, label: label, body) },
                    snapshot: { resumed.memory.snapshot($0) })
                #expect(
                    SimulationChecks.checkAllocator(simulator.frameAllocator, sets: snapshot.sets).isEmpty,
                    "allocator rebuilt at \(snapshot.label)")
                for event in events[snapshot.checkpoint.eventsApplied...] { try simulator.apply(event) }
                _ = try simulator.finish()
                #expect(resumed.memory.sets == straight.box.memory.sets, "\(policy) restored at \(snapshot.label)")
                #expect(simulator.frameAllocator == straight.simulator.frameAllocator)
            }
        }
    }

    @Test func restoringWithoutCheckpointUsesSetNamesAndHeaps() throws {
        let events = try SimulationChecks.events(of: .pythonFork)
        let straight = try SimulationChecks.run(events, options: options(.fourKiB, interval: 10))
        let snapshots = straight.box.memory.snapshots.filter { $0.label != "final" }
        #expect(snapshots.count >= 3)
        // Early snapshots have no [heap] yet (the break is re-learned from the next brk(NULL));
        // later ones give the break from the [heap] area.
        #expect(snapshots.contains { $0.sets["sim"]?.areas.contains { $0.kind == .heap } == true })
        for snapshot in snapshots {
            let resumed = SetsBox()
            resumed.memory = InMemorySets(sets: snapshot.sets)
            var simulator = try ProcessSimulator(
                restoring: snapshot.sets, checkpoint: nil, options: options(.fourKiB, interval: 10),
                commit: { name, label, body in try resumed.memory.commit(setName: name, label: label, body) },
                snapshot: { resumed.memory.snapshot($0) })
            for event in events[snapshot.checkpoint.eventsApplied...] { try simulator.apply(event) }
            _ = try simulator.finish()
            #expect(resumed.memory.sets == straight.box.memory.sets, "restored at \(snapshot.label)")
        }
    }

    @Test func mremapWithoutResultsGrowsInPlaceOrMovesTopDown() throws {
        func call(_ call: SystemCall) -> TraceEvent { TraceEvent(processID: 1, lineNumber: 1, action: .systemCall(call)) }
        func remap(_ old: UInt64, _ oldLength: UInt64, _ newLength: UInt64, _ flags: SystemCall.RemapFlags, to fixed: UInt64? = nil) -> TraceEvent {
            call(.mremap(SystemCall.RemapRequest(oldAddress: VirtualAddress(old), oldLength: oldLength, newLength: newLength, flags: flags, newAddress: fixed.map { VirtualAddress($0) })))
        }
        let rw: Protection = [.read, .write, .user]
        let touch = { (address: UInt64) in TraceEvent(processID: 1, lineNumber: 1, action: .access(RecordedAccess(.store, at: VirtualAddress(address), size: 1))) }
        let events = [
            call(.mmap(SystemCall.MapRequest(address: VirtualAddress(0x1000_0000), length: 0x2000, protection: rw, flags: [.anonymous, .fixed]))),
            call(.mmap(SystemCall.MapRequest(address: VirtualAddress(0x1000_4000), length: 0x1000, protection: [.read, .user], flags: [.anonymous, .fixed]))),
            touch(0x1000_0000), touch(0x1000_1000),
            remap(0x1000_0000, 0x2000, 0x5000, []),
            remap(0x1000_0000, 0x2000, 0x5000, .mayMove),
            remap(0x1000_4000, 0x1000, 0x1000, [.mayMove, .fixed], to: 0x2000_0000),
        ]
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        let set = try #require(box.memory.sets["sim-1"])
        let top = VirtualAddress(0x7fff_f7ff_f000 - 0x5000)
        // Growing into the read-only mapping without MREMAP_MAYMOVE fails; with it, the mapping
        // moves below the mmap base, its two pages (and frames) with it; MREMAP_FIXED moves exactly.
        #expect(simulator.report.failedPlacements == 1)
        #expect(set.areas.map(\.range.start) == [VirtualAddress(0x2000_0000), top])
        #expect(set.areas.map(\.range.pageCount) == [1, 5])
        #expect(set.entries.map(\.virtualAddress) == [top, VirtualAddress(top.rawValue + 0x1000)])
        #expect(set.entries.map(\.frameNumber) == [0x10_0000, 0x10_0001])
    }

    @Test func wholeHugePagesKeepTheirSizeAndUnalignedCallsAreInconsistent() throws {
        func call(_ call: SystemCall) -> TraceEvent { TraceEvent(processID: 1, lineNumber: 1, action: .systemCall(call)) }
        let base: UInt64 = 0x4000_0000
        var events = [
            call(.mmap(SystemCall.MapRequest(address: nil, length: 4 << 20, protection: [.read, .write, .user], flags: .anonymous, result: VirtualAddress(base)))),
        ]
        for page in 0..<UInt64(512) {
            events.append(TraceEvent(processID: 1, lineNumber: 2, action: .access(RecordedAccess(.load, at: VirtualAddress(base + page << 12), size: 8))))
        }
        events += [
            call(.mprotect(address: VirtualAddress(base), length: 2 << 20, protection: [.read, .user])),
            call(.munmap(address: VirtualAddress(base + 1), length: 4096)),
            call(.brk(requested: nil, result: VirtualAddress(base - 0x1000))),
            call(.brk(requested: nil, result: VirtualAddress(base + 0x1000))),
        ]
        let (box, simulator) = try SimulationChecks.run(events, options: options(.transparentHugePages, batch: 100))
        #expect(box.failures.isEmpty)
        let set = try #require(box.memory.sets["sim-1"])
        #expect(set.entries.count == 1)
        #expect(set.entries.first?.size == .size2MiB && set.entries.first?.protection == [.read, .user])
        #expect(simulator.report.demotions == 0 && simulator.report.promotions == 1)
        #expect(simulator.report.inconsistentCalls == 2)
        #expect(simulator.report.firstUnmodelledLine == 1)
    }

    @Test func restoreRejectsSetsTheSimulationCannotHaveMade() throws {
        var set = TranslationSet()
        try set.update { tx in
            try tx.replaceAreas(
                in: VirtualRange(pages: 0x400..<0x500),
                with: [MemoryArea(range: VirtualRange(pages: 0x400..<0x500), protection: [.read, .user], kind: .anonymous)])
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1_0000_0000), protection: [.read, .write, .user])
        }
        #expect(throws: SimulationError.self) {
            _ = try ProcessSimulator(
                restoring: ["sim-1": set], checkpoint: nil, options: options(.fourKiB), commit: { _, _, _ in },
                snapshot: { _ in })
        }
        var outside = TranslationSet()
        try outside.update { tx in
            try tx.replaceAreas(
                in: VirtualRange(pages: 0x400..<0x500),
                with: [MemoryArea(range: VirtualRange(pages: 0x400..<0x500), protection: [.read, .user], kind: .anonymous)])
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])
        }
        #expect(
            throws: SimulationError.invalidRestore(set: "sim-1", reason: "frame of 0x400000 -> 0x1000 4KiB r--u is outside memory or used twice")
        ) {
            _ = try ProcessSimulator(
                restoring: ["sim-1": outside], checkpoint: nil, options: options(.fourKiB), commit: { _, _, _ in },
                snapshot: { _ in })
        }
    }

    @Test func listingTraceBuildsTheAreasOfLs() throws {
        let events = try SimulationChecks.events(of: .listing)
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        let set = try #require(box.memory.sets["sim-9318"])
        #expect(set.entries.isEmpty)
        let libcText = try #require(set.areas.first { $0.range.contains(VirtualAddress(0x7f18_6289_0000)) })
        #expect(libcText.name == "/usr/lib/x86_64-linux-gnu/libc.so.6")
        #expect(libcText.kind == .file)
        let heap = try #require(set.areas.first { $0.kind == .heap })
        #expect(heap.range == VirtualRange(pages: 0x5_5652_1b76..<0x5_5652_1b97))
        #expect(heap.name == "[heap]")
        #expect(!set.areas.contains { $0.name == "/etc/ld.so.cache" })
        // ld.so protects the RELRO pages of ls and of itself, which execve mapped: unknown here.
        #expect(simulator.report.unknownRegionCalls == 2)
        #expect(simulator.report.execs == 1)
    }

    @Test func setsLeftFromAnEarlierRunAreEmptiedFirst() throws {
        var stale = TranslationSet()
        try stale.update { tx in
            let range = VirtualRange(pages: 0x10..<0x20)
            try tx.replaceAreas(in: range, with: [MemoryArea(range: range, protection: [.read, .user], kind: .anonymous)])
            try tx.map(VirtualAddress(0x10000), to: PhysicalAddress(0x1_0000_0000), protection: [.read, .user])
        }
        let box = SetsBox()
        box.memory = InMemorySets(sets: ["sim-9318": stale])
        let events = try SimulationChecks.events(of: .listing)
        _ = try SimulationChecks.run(events, options: options(.fourKiB), box: box)
        let set = try #require(box.memory.sets["sim-9318"])
        #expect(set.entries.isEmpty)
        #expect(!set.areas.contains { $0.range.lowerPage == 0x10 })
        #expect(box.memory.labels.first == "start")
    }

    @Test func memoryOnlyTraceForksTheFirstProcessForNewPids() throws {
        let events = try SimulationChecks.events(of: .shellMemoryOnly)
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        #expect(simulator.report.implicitForks == 2)
        #expect(Set(box.memory.sets.keys) == ["sim-9368", "sim-9369", "sim-9370"])
        #expect(box.memory.labels.contains { $0.hasPrefix("pid 9369 appears: fork of sim-9368") })
    }

    @Test func forkTraceCopiesTheParentAndReplaysTheChild() throws {
        let events = try SimulationChecks.events(of: .pythonFork)
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        #expect(simulator.report.forks == 1)
        #expect(Set(box.memory.sets.keys) == ["sim", "sim-9364"])
        let parent = try #require(box.memory.sets["sim"]), child = try #require(box.memory.sets["sim-9364"])
        // The child unmapped its 2 MiB shared mapping after moving it with mremap.
        #expect(!child.areas.contains { $0.range.contains(VirtualAddress(0x7fc7_4f17_c000)) })
        #expect(box.memory.labels.contains("mremap 0x7fc74f37c000-0x7fc74f47c000 to 0x7fc74f17c000-0x7fc74f37c000"))
        // The 4 MiB shared buffer mapped before the fork: the parent closed it, the child exited with it.
        #expect(!parent.areas.contains { $0.isShared && $0.range.pageCount == 1024 })
        #expect(child.areas.contains { $0.isShared && $0.range.pageCount == 1024 })
    }

    @Test func demandPagingMapsOnFirstTouchAndCountsInvalidAccesses() throws {
        let areas = [
            MemoryArea(range: VirtualRange(pages: 0x400..<0x401), protection: [.read, .execute, .user], kind: .file, name: "/bin/x"),
            MemoryArea(range: VirtualRange(pages: 0x600..<0x602), protection: [.read, .user], kind: .anonymous),
            MemoryArea(range: VirtualRange(pages: 0x800..<0x810), protection: [.read, .write, .user], kind: .anonymous),
        ]
        func access(_ kind: RecordedAccess.Kind, _ address: UInt64, size: UInt32 = 8) -> TraceEvent {
            TraceEvent(processID: 7, lineNumber: 1, action: .access(RecordedAccess(kind, at: VirtualAddress(address), size: size)))
        }
        let events = [
            access(.instruction, 0x40_0010), access(.instruction, 0x40_0020), access(.load, 0x60_0000),
            access(.store, 0x60_0000), access(.instruction, 0x80_0000), access(.load, 0x90_0000),
            access(.modify, 0x80_0ffc), access(.store, 0x80_2000),
        ]
        var options = options(.fourKiB)
        options.initialAreas = areas
        let (box, simulator) = try SimulationChecks.run(events, options: options)
        let set = try #require(box.memory.sets["sim-7"])
        #expect(set.entries.map(\.virtualAddress) == [0x40_0000, 0x60_0000, 0x80_0000, 0x80_1000, 0x80_2000].map { VirtualAddress($0) })
        #expect(set.entries.allSatisfy { entry in areas.first { $0.range.contains(entry.range) }?.protection == entry.protection })
        #expect(simulator.report.demandFaults == 5)
        #expect(simulator.report.invalidAccesses == 3)
        #expect(set.pageActivity[0x400] == PageActivity(accesses: 2, writes: 0, faults: 1))
        #expect(set.pageActivity[0x600] == PageActivity(accesses: 1, writes: 0, faults: 2))
        #expect(set.pageActivity[0x900] == PageActivity(accesses: 0, writes: 0, faults: 1))
        // A modify of 8 bytes at 0x800ffc: a load and a store on each of two pages.
        #expect(set.pageActivity[0x800] == PageActivity(accesses: 2, writes: 1, faults: 2))
        #expect(set.pageActivity[0x801] == PageActivity(accesses: 2, writes: 1, faults: 1))
        #expect(set.entry(containing: VirtualAddress(0x80_1000))?.attributes.contains(.dirty) == true)
    }

    @Test func mmapWithoutResultsIsPlacedTopDownAndAreasSplitAndMerge() throws {
        let base: UInt64 = 0x7fff_f7ff_f000
        func call(_ call: SystemCall) -> TraceEvent { TraceEvent(processID: 1, lineNumber: 1, action: .systemCall(call)) }
        let anonymous = SystemCall.MapFlags.anonymous
        let events = [
            call(.mmap(SystemCall.MapRequest(address: nil, length: 0x4000, protection: [.read, .write, .user], flags: anonymous))),
            call(.mmap(SystemCall.MapRequest(address: nil, length: 0x2000, protection: [.read, .user], flags: anonymous))),
            call(.mmap(SystemCall.MapRequest(address: VirtualAddress(0x1000_0000), length: 0x1000, protection: [.read, .user], flags: anonymous))),
            call(.mprotect(address: VirtualAddress(base - 0x4000), length: 0x1000, protection: [.read, .user])),
            call(.mmap(SystemCall.MapRequest(address: VirtualAddress(0x1000_0000), length: 0x1000, protection: [.read, .user], flags: [.anonymous, .fixedNoReplace]))),
            call(.mmap(SystemCall.MapRequest(address: VirtualAddress(0x1000_0000), length: 0x2000, protection: [.read, .write, .user], flags: [.anonymous, .fixed]))),
        ]
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        let areas = try #require(box.memory.sets["sim-1"]).areas
        let top = base >> 12
        // Top-down: the first mapping right below the base, the second below it; the hint is
        // honoured; mprotect of the first page of the upper mapping makes it alike the lower
        // one, so they merge; MAP_FIXED replaces the hinted mapping, after MAP_FIXED_NOREPLACE failed.
        #expect(
            areas == [
                MemoryArea(range: VirtualRange(pages: 0x10000..<0x10002), protection: [.read, .write, .user], kind: .anonymous),
                MemoryArea(range: VirtualRange(pages: (top - 6)..<(top - 3)), protection: [.read, .user], kind: .anonymous),
                MemoryArea(range: VirtualRange(pages: (top - 3)..<top), protection: [.read, .write, .user], kind: .anonymous),
            ])
        #expect(simulator.report.failedPlacements == 1)
    }

    @Test func brkGrowsAndShrinksTheHeapAndFreesItsPages() throws {
        func brk(_ value: UInt64) -> TraceEvent {
            TraceEvent(processID: 1, lineNumber: 1, action: .systemCall(.brk(requested: VirtualAddress(value), result: VirtualAddress(value))))
        }
        let store = TraceEvent(processID: 1, lineNumber: 1, action: .access(RecordedAccess(.store, at: VirtualAddress(0x5000_3000), size: 8)))
        let (box, simulator) = try SimulationChecks.run(
            [brk(0x5000_0000), brk(0x5000_8123), store, brk(0x5000_2000), brk(0x5000_6000)], options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        let set = try #require(box.memory.sets["sim-1"])
        #expect(set.areas == [MemoryArea(range: VirtualRange(pages: 0x50000..<0x50006), protection: [.read, .write, .user], kind: .heap, name: "[heap]")])
        #expect(set.entries.isEmpty)
        #expect(simulator.frameAllocator.freeFrameCount == simulator.frameAllocator.frameCount)
    }

    @Test func threadsShareASetUntilExecGivesThemTheirOwn() throws {
        func event(_ pid: Int32, _ action: TraceEvent.Action) -> TraceEvent { TraceEvent(processID: pid, lineNumber: 1, action: action) }
        func map(_ address: UInt64) -> TraceEvent.Action {
            .systemCall(
                .mmap(
                    SystemCall.MapRequest(
                        address: nil, length: 0x2000, protection: [.read, .write, .user], flags: .anonymous, result: VirtualAddress(address))))
        }
        let store = TraceEvent.Action.access(RecordedAccess(.store, at: VirtualAddress(0x1000_0000), size: 4))
        let events = [
            event(1, map(0x1000_0000)), event(1, .fork(child: 2, sharesMemory: true)), event(2, map(0x2000_0000)),
            event(2, store), event(2, .exec(path: "/bin/true")), event(2, map(0x3000_0000)), event(1, .fork(child: 3, sharesMemory: false)),
            event(3, .exit), event(3, map(0x4000_0000)),
        ]
        let (box, simulator) = try SimulationChecks.run(events, options: options(.fourKiB))
        #expect(box.failures.isEmpty)
        let parent = try #require(box.memory.sets["sim-1"]), child = try #require(box.memory.sets["sim-2"])
        #expect(parent.areas.map(\.range.lowerPage) == [0x10000, 0x20000])
        #expect(parent.entries.map(\.virtualAddress) == [VirtualAddress(0x1000_0000)])
        #expect(child.areas.map(\.range.lowerPage) == [0x30000])
        // Process 3 exited, then its pid came back without a fork: a fork of the first process.
        let third = try #require(box.memory.sets["sim-3"])
        #expect(third.areas.map(\.range.lowerPage) == [0x10000, 0x20000, 0x40000])
        #expect(third.entries.count == 1 && third.entries[0].frameNumber != parent.entries[0].frameNumber)
        #expect([simulator.report.sharedForks, simulator.report.forks, simulator.report.implicitForks, simulator.report.execs] == [1, 1, 1, 1])
    }

    @Test func runReportsProgressAndTraceErrors() throws {
        var memory = InMemorySets()
        var options = options(.transparentHugePages, batch: 4096)
        options.initialAreas = try TraceFixture.lackeyDemo.layout()
        var simulator = try ProcessSimulator(
            options: options, commit: { name, label, body in try memory.commit(setName: name, label: label, body) },
            snapshot: { memory.snapshot($0) })
        var reports: [SimulationProgress] = []
        let report = try simulator.run(try TraceReader(contentsOf: try #require(TraceFixture.lackeyDemo.path))) { reports.append($0) }
        let last = try #require(reports.last)
        #expect(last.lines == 55795 && last.events == 55770 && last.transactions == report.transactions)
        #expect(last.residentPages == report.residentPages && report.residentPages > 512)
        #expect(report.demandFaults == report.residentPages && report.promotions == 1)
        #expect(memory.snapshots.map(\.label) == ["final"])

        var broken = try ProcessSimulator(options: self.options(.fourKiB), commit: { _, _, _ in }, snapshot: { _ in })
        let reader = try TraceReader(text: "1 brk(NULL) = 0x1000\n1 munmap(0x1000) = 0\n", name: "broken")
        #expect(throws: SimulationError.trace(TraceError(file: "broken", lineNumber: 2, line: "1 munmap(0x1000) = 0", reason: .argumentCount(call: "munmap", expected: "2", found: 1)))) {
            _ = try broken.run(reader)
        }
    }

    /// A lackey trace is applied in chunks, but a malformed line stops the run where it is: the
    /// batches filled before it are committed, and the accesses after it never applied.
    @Test func aMalformedLackeyLineStopsTheRunAfterTheBatchesBeforeIt() throws {
        var memory = InMemorySets()
        var options = options(.fourKiB, batch: 2)
        options.initialAreas = [
            MemoryArea(range: try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x10000), protection: [.read, .write, .user], kind: .anonymous)
        ]
        var simulator = try ProcessSimulator(
            options: options, commit: { name, label, body in try memory.commit(setName: name, label: label, body) },
            snapshot: { memory.snapshot($0) })
        let text = " L 400000,4\n S 401000,4\n L 402000,4\n L 403000,4\n S 404000,4\n L zz,4\n L 405000,4\n L 406000,4\n"
        #expect(throws: SimulationError.trace(TraceError(file: "t", lineNumber: 6, line: " L zz,4", reason: .invalidAddress("zz")))) {
            _ = try simulator.run(try TraceReader(text: text, name: "t", format: .lackey))
        }
        #expect(memory.labels == ["start", "accesses lines 1-2", "accesses lines 3-4"])
        #expect(memory.sets["sim"]?.entries.count == 4)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: SimulationError.invalidOptions("accesses per transaction must be at least 1")) {
            _ = try ProcessSimulator(options: SimulationOptions(accessesPerTransaction: 0), commit: { _, _, _ in }, snapshot: { _ in })
        }
        #expect(throws: SimulationError.self) {
            _ = try ProcessSimulator(options: SimulationOptions(physicalMemorySize: 3 << 20), commit: { _, _, _ in }, snapshot: { _ in })
        }
    }

    @Test func aFailedTransactionStopsTheSimulator() throws {
        struct Refused: Error {}
        var simulator = try ProcessSimulator(options: options(.fourKiB), commit: { _, _, _ in throw Refused() }, snapshot: { _ in })
        let event = TraceEvent(processID: 1, lineNumber: 3, action: .systemCall(.brk(requested: nil, result: VirtualAddress(0x1000))))
        #expect(throws: SimulationError.transactionFailed(set: "sim-1", label: "start", lineNumber: 3, message: "Refused()")) {
            try simulator.apply(event)
        }
        #expect(throws: SimulationError.stopped) { try simulator.apply(event) }
    }
}
