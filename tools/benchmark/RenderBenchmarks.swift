import Foundation
import MMUCore
import MMURender
import MMUStore
import MMUTestSupport

/// `mmu render` at scale: a set of `entries` entries with 100 generations, drawn to one HTML
/// page as the command does (read the versions, build the page, write it), timed, the page's
/// size, and the time headless Chromium takes to draw it. Two histories: changes in contiguous
/// ranges (mmap, munmap, mprotect, remap, promotion, as processes make them), and 1% of the
/// pages changed at random places each generation (the worst case for runs: almost every
/// change splits one).
struct RenderBenchmarks {
    let entries: Int
    let runs: Int

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        var results: [Measurement] = []
        let browser = try PageLoadTiming()
        for scattered in [false, true] {
            let directory = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try TranslationStore(path: directory.appendingPathComponent("render.sqlite").path, creatingIfMissing: true)
            try store.createSet(named: "bench", architecture: .x86_64FourLevel)
            progress("render: loading \(entries) entries")
            try store.map(pages, into: "bench")
            var generator = SplitMix64(seed: 7)
            var mapped = Set(0..<UInt64(entries))
            let onePercent = max(entries / 100, 3)
            for round in 1..<100 {
                progress("render: generation \(round) of 99 (\(scattered ? "scattered" : "ranges"))")
                if scattered {
                    try DiffBenchmarks(entries: entries, runs: 1).change(onePercent, in: store, generator: &generator, round: round, mapped: &mapped)
                } else {
                    try changeRange(onePercent, round: round, in: store, generator: &generator)
                }
            }
            try store.checkpoint()
            let reading = try TranslationStore(readingAt: directory.appendingPathComponent("render.sqlite").path)
            var times: [Double] = [], sizes: [Double] = [], ready: [Double] = []
            var runCount = 0
            for runIndex in 0..<runs {
                progress("render: run \(runIndex + 1)/\(runs)")
                let output = directory.appendingPathComponent("page-\(runIndex).html").path
                times.append(try seconds {
                    let map = try AddressSpaceMap(store: reading, set: "bench", options: .init(maximumRuns: 10_000_000))
                    runCount = map.runs.count
                    try RenderFile.write(map.html(), to: output, replacing: false)
                })
                let attributes = try FileManager.default.attributesOfItem(atPath: output)
                sizes.append(Double((attributes[.size] as? NSNumber)?.intValue ?? 0) / 1e6)
            }
            // The browser's runs after all the render runs, so they do not disturb their timing.
            for runIndex in 0..<runs {
                progress("render: the page in headless Chromium, run \(runIndex + 1)/\(runs)")
                ready.append(try browser.secondsToReady(of: directory.appendingPathComponent("page-\(runIndex).html").path, in: directory))
            }
            let history = scattered ? "1% of pages changed at random places per generation" : "1% of pages changed in one range per generation"
            var time = Measurement(
                operation: "render a \(entries)-entry set with 100 generations (\(history); \(runCount) runs, the cost in its own format)",
                unit: "s", higherIsBetter: false, ours: times, target: "<= 2 s")
            time.targetMet = time.oursMedian <= 2
            var size = Measurement(operation: "  its page (\(history))", unit: "MB", higherIsBetter: false, ours: sizes, target: "<= 10 MB")
            size.targetMet = size.oursMedian <= 10
            let drawn = Measurement(
                operation: "  its page in headless Chromium, from navigation start to drawn (data-ready) (\(history))", unit: "s", higherIsBetter: false,
                ours: ready, target: "-")
            results += [time, size, drawn]
        }
        return results
    }

    /// One generation changing `count` contiguous pages somewhere in the set: remapped to new
    /// frames, remapped with another protection, unmapped, or mapped anew above the set, in turn.
    func changeRange(_ count: Int, round: Int, in store: TranslationStore, generator: inout SplitMix64) throws {
        let start = generator.next() % UInt64(max(entries - count, 1))
        let address = VirtualAddress(0x7f00_0000_0000 + start << 12)
        let range = try VirtualRange(start: address, byteCount: UInt64(count) << 12)
        try store.update(set: "bench", label: "range \(round)") { tx in
            switch round % 4 {
            case 0, 1:
                _ = try tx.clear(range)
                let protection: Protection = round % 4 == 0 ? [.read, .write, .user] : [.read, .user]
                for index in 0..<UInt64(count) {
                    try tx.map(
                        VirtualAddress(address.rawValue + index << 12), to: PhysicalAddress(0x80_0000_0000 + (UInt64(round) << 32) + index << 12),
                        protection: protection)
                }
            case 2:
                _ = try tx.clear(range)
            default:
                for index in 0..<UInt64(count) {
                    try tx.map(
                        VirtualAddress(0x7e00_0000_0000 + (UInt64(round) << 32) + index << 12), to: PhysicalAddress(0x90_0000_0000 + (UInt64(round) << 32) + index << 12),
                        protection: [.read, .write, .user])
                }
            }
        }
    }
}
