/// The page's script: decodes the data (the browser inflates its packed columns first, so the
/// drawing is asynchronous: `#status` gets `data-ready` once it is done), draws the map, the
/// history and the diff summary, and handles colouring, heat, zoom, pan, hover and click. It
/// fetches nothing.
enum RenderScript {
    /// The script's source, inlined into every page.
    static let source = #"""
(async function () {
  "use strict";
  const D = JSON.parse(document.getElementById("mmu-data").textContent);
  const SVGNS = "http://www.w3.org/2000/svg";
  const W = D.width, L = D.layout, P = D.palette;
  const $ = (id) => document.getElementById(id);

  // The integer columns: one raw-deflate block in base64, inflated by the browser; within it
  // LEB128 varints (seven bits a byte, the high bit set when more follow), signed ones
  // zigzag-coded, the columns one after another.
  async function inflate(text) {
    const packed = atob(text), bytes = new Uint8Array(packed.length);
    for (let i = 0; i < packed.length; i++) bytes[i] = packed.charCodeAt(i);
    const source = new ReadableStream({ start(controller) { controller.enqueue(bytes); controller.close(); } });
    return new Uint8Array(await new Response(source.pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer());
  }
  const bytes = await inflate(D.columns);
  let at = 0;
  function varint() {
    let value = 0, scale = 1, byte;
    do {
      if (at >= bytes.length) throw new Error("the page's data ends before its last column");
      byte = bytes[at++];
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128);
    return value;
  }
  function column(count, signed) {
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const value = varint();
      out[k] = signed ? (value % 2 === 0 ? value / 2 : -(value + 1) / 2) : value;
    }
    return out;
  }
  // A column of pairs: a value, then how many times it repeats in a row.
  function repeated(count) {
    const out = new Float64Array(count);
    for (let k = 0; k < count;) {
      const value = varint(), times = varint();
      if (times < 1 || k + times > count) throw new Error("a repeated column of the page's data does not add up to its " + count + " values");
      out.fill(value, k, k + times);
      k += times;
    }
    return out;
  }
  const N = D.runs;
  const R = {
    v: column(N), n: column(N), s: repeated(N), p: repeated(N), a: repeated(N), c: repeated(N),
    f: column(N, true), b: column(N), d: column(N).map((x) => x - 1),
  };
  const C = { v: column(D.heat), accesses: column(D.heat), writes: column(D.heat), faults: column(D.heat) };
  if (at !== bytes.length) throw new Error("the page's data has " + (bytes.length - at) + " bytes after its last column");
  const first = new Float64Array(N), last = new Float64Array(N), frame = new Float64Array(N), per = new Float64Array(N);
  {
    let page = 0, offset = 0;
    for (let i = 0; i < N; i++) {
      page += R.v[i];
      offset += R.f[i];
      per[i] = Math.pow(2, R.s[i] - 12);
      first[i] = page;
      last[i] = page + R.n[i] * per[i];
      frame[i] = page + offset;
    }
  }
  const heatPages = [];
  {
    let page = 0;
    for (const delta of C.v) { page += delta; heatPages.push(page); }
  }
  const maxAccesses = C.accesses.reduce((a, b) => Math.max(a, b), 0);

  // The compressed axis: pages to nominal x and back.
  const seg = D.segments;
  function segmentOf(page) {
    let lo = 0, hi = seg.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (seg[m][1] <= page) lo = m + 1; else hi = m; }
    return lo;
  }
  function xOf(page) {
    const k = segmentOf(page);
    if (k >= seg.length) return W;
    const s = seg[k];
    if (page < s[0]) return s[2];
    return s[2] + (page - s[0]) * (s[3] - s[2]) / (s[1] - s[0]);
  }
  function xEnd(endPage) {
    const k = segmentOf(endPage - 1);
    const s = seg[Math.min(k, seg.length - 1)];
    return s[2] + (endPage - s[0]) * (s[3] - s[2]) / (s[1] - s[0]);
  }
  function pageAt(x) {
    for (const s of seg) {
      if (x >= s[2] && x < s[3]) return s[0] + Math.floor((x - s[2]) / (s[3] - s[2]) * (s[1] - s[0]));
    }
    return null;
  }

  const hex = (page) => "0x" + (BigInt(Math.round(page)) << 12n).toString(16);
  const sizeName = (shift) => {
    const units = ["KiB", "MiB", "GiB", "TiB"];
    let bytes = Math.pow(2, shift - 10), u = 0;
    while (bytes >= 1024 && u < units.length - 1) { bytes /= 1024; u++; }
    return bytes + units[u];
  };
  const protName = (p) => (p & 1 ? "r" : "-") + (p & 2 ? "w" : "-") + (p & 4 ? "x" : "-") + (p & 8 ? "u" : "-");

  // State: the generation shown, the colouring, the heat layer, the view.
  const params = new URLSearchParams(location.hash.slice(1));
  const state = {
    generation: params.has("g") ? Math.max(0, Math.min(D.head, parseInt(params.get("g"), 10) || 0)) : D.generation,
    colour: (params.get("colour") || D.colour) === "protection" ? "protection" : "size",
    heat: params.get("heat") !== "0",
    view: [0, W],
    pinned: null,
  };
  // With #digest in the fragment, a checksum of the decoded columns on #status (FNV-1a over each
  // value's low and high 32 bits: per run its first page, entries, page shift, protection,
  // attributes, cache mode index, first frame, born and died plus one, then per counter its
  // page, accesses, writes and faults), so a test can tell the page read its data whole.
  if (params.has("digest")) {
    let digest = 0x811c9dc5;
    const word = (x) => { digest = Math.imul(digest ^ x, 16777619) >>> 0; };
    const value = (x) => { word(x % 4294967296); word(Math.floor(x / 4294967296)); };
    for (let i = 0; i < N; i++) {
      for (const x of [first[i], R.n[i], R.s[i], R.p[i], R.a[i], R.c[i], frame[i], R.b[i], R.d[i] + 1]) value(x);
    }
    for (let j = 0; j < heatPages.length; j++) {
      for (const x of [heatPages[j], C.accesses[j], C.writes[j], C.faults[j]]) value(x);
    }
    $("status").dataset.digest = digest;
  }
  let visible = new Int32Array(0);
  function selectGeneration(g) {
    state.generation = g;
    const keep = [];
    for (let i = 0; i < N; i++) {
      if (R.b[i] <= g && (R.d[i] < 0 || g < R.d[i])) keep.push(i);
    }
    visible = Int32Array.from(keep);
  }
  const colourOf = (i) => state.colour === "protection" ? P.protections[R.p[i]] : (P.sizes[R.s[i]] || "#f28e2b");

  function el(name, attributes, parent) {
    const node = document.createElementNS(SVGNS, name);
    for (const key in attributes) node.setAttribute(key, attributes[key]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // Draws [a, b) spans with colours on one track: spans of at least a pixel are rects (touching
  // ones of one colour merged), thinner ones go to per-pixel tiles, each tile taking the colour
  // that covers most of it. At most about two nodes per pixel, whatever the number of spans.
  function track(group, band, spans) {
    const tiles = new Map(), rects = [];
    for (const [a0, b0, colour, weight] of spans) {
      const a = Math.max(a0, 0), b = Math.min(b0, W);
      if (b <= 0 || a >= W || b <= a) continue;
      if (b - a < 1) {
        const px = Math.floor(a), old = tiles.get(px);
        if (!old || old[1] < weight) tiles.set(px, [colour, weight]);
        continue;
      }
      const prev = rects[rects.length - 1];
      if (prev && prev[2] === colour && a - prev[1] < 0.5) prev[1] = b; else rects.push([a, b, colour]);
    }
    const keys = Array.from(tiles.keys()).sort((x, y) => x - y);
    let run = null;
    const flush = () => { if (run) el("rect", { x: run[0], y: band[0], width: run[1] - run[0], height: band[1] - band[0], fill: run[2] }, group); };
    for (const px of keys) {
      const colour = tiles.get(px)[0];
      if (run && run[1] === px && run[2] === colour) run[1] = px + 1; else { flush(); run = [px, px + 1, colour]; }
    }
    flush();
    for (const [a, b, colour] of rects) el("rect", { x: a, y: band[0], width: b - a, height: band[1] - band[0], fill: colour }, group);
  }

  const toScreen = (x) => (x - state.view[0]) * W / (state.view[1] - state.view[0]);

  function drawMap() {
    const svg = $("map");
    const layer = $("map-layer");
    clear(layer);
    const entries = el("g", { id: "track-entries" }, layer);
    const globals = el("g", { id: "track-global" }, layer);
    const spans = [], marks = [];
    for (const i of visible) {
      const a = toScreen(xOf(first[i])), b = toScreen(xEnd(last[i]));
      if (b < 0 || a > W) continue;
      spans.push([a, b, colourOf(i), last[i] - first[i]]);
      if (R.a[i] & 1) marks.push([a, b, P.global, last[i] - first[i]]);
    }
    track(entries, L.entries, spans);
    track(globals, L.global, marks);
    if (state.heat) {
      const heat = el("g", { id: "track-heat" }, layer), hs = [];
      const scale = Math.log(maxAccesses + 1);
      for (let j = 0; j < heatPages.length; j++) {
        const a = toScreen(xOf(heatPages[j])), b = toScreen(xEnd(heatPages[j] + 1));
        const t = scale > 0 ? Math.log(C.accesses[j] + 1) / scale : 0;
        hs.push([a, Math.max(b, a + 1), mix(P.heatCold, P.heatHot, t), C.accesses[j] + 1]);
      }
      track(heat, L.heat, hs);
    }
    const areas = el("g", { id: "track-areas" }, layer);
    for (const area of D.areas) {
      const a = Math.max(toScreen(xOf(area[0])), 0), b = Math.min(toScreen(xEnd(area[1])), W);
      if (b <= 0 || a >= W) continue;
      el("rect", { x: a, y: L.areas[0], width: Math.max(b - a, 1), height: L.areas[1] - L.areas[0], fill: P.area, stroke: "#5b7fa6", "stroke-width": 0.5 }, areas);
      if (b - a > 30) {
        const label = el("text", { x: a + 3, y: L.areas[0] + 12, class: "area-label" }, areas);
        const text = (area[5] || area[3]);
        label.textContent = text.length * 6 > b - a - 6 ? text.slice(0, Math.max(1, Math.floor((b - a - 6) / 6) - 1)) + "…" : text;
        const range = el("text", { x: a + 3, y: L.areas[0] + 25, class: "area-range" }, areas);
        if (b - a > 150) range.textContent = hex(area[0]) + "–" + hex(area[1]);
      }
    }
    if (D.compare) {
      const changes = el("g", { id: "track-changes" }, layer), cs = [];
      for (const c of D.compare.changes) {
        const kind = P.changes.find((k) => c[2] & k[0]);
        cs.push([toScreen(xOf(c[0])), toScreen(xEnd(c[1])), kind ? kind[1] : "#000", c[1] - c[0]]);
      }
      track(changes, L.changes, cs);
      const areaChanges = el("g", { id: "track-area-changes" }, layer), as = [];
      for (const c of D.compare.areaChanges) {
        const kind = P.areaChanges.find((k) => c[2] & k[0]);
        as.push([toScreen(xOf(c[0])), toScreen(xEnd(c[1])), kind ? kind[1] : "#000", c[1] - c[0]]);
      }
      track(areaChanges, L.areaChanges, as);
    }
    const gaps = el("g", { id: "gaps" }, layer);
    for (const gap of D.gaps) {
      const a = toScreen(gap[2]), b = toScreen(gap[3]);
      if (b < 0 || a > W) continue;
      el("rect", { x: a, y: L.entries[0], width: b - a, height: L.areaChanges[1] - L.entries[0], fill: "url(#hatch)" }, gaps);
      const t = el("text", { x: (a + b) / 2, y: L.entries[0] + 4, class: "gap-label", transform: "rotate(90 " + (a + b) / 2 + " " + (L.entries[0] + 4) + ")" }, gaps);
      t.textContent = gap[4];
      el("title", {}, t).textContent = gap[4] + " " + hex(gap[0]) + "–" + hex(gap[1]);
    }
    const axis = el("g", { id: "axis" }, layer);
    let lastLabel = -1e9, kernelMarked = false;
    for (const s of seg) {
      const a = toScreen(s[2]);
      if (a < -1 || a > W) continue;
      if (!kernelMarked && s[0] >= 2 ** 51) {
        kernelMarked = true;
        el("text", { x: Math.min(a + 2, W - 60), y: 9, class: "half-label" }, axis).textContent = "kernel half";
      }
      if (a - lastLabel > 90 && a < W - 90) {
        el("text", { x: a + 2, y: 20, class: "axis-label" }, axis).textContent = hex(s[0]);
        lastLabel = a;
      }
    }
    if (!kernelMarked && seg.length && seg[0][0] < 2 ** 51) el("text", { x: 2, y: 9, class: "half-label" }, axis).textContent = "user half";
    $("status").dataset.generation = state.generation;
    $("status").dataset.runs = visible.length;
    $("status").textContent = "generation " + state.generation + (state.generation === D.head ? " (head)" : "") + ": " + visible.length + " runs";
    svg.dataset.nodes = layer.getElementsByTagName("*").length;
  }

  function mix(c0, c1, t) {
    const p = (c, k) => parseInt(c.slice(1 + 2 * k, 3 + 2 * k), 16);
    let out = "#";
    for (let k = 0; k < 3; k++) out += Math.round(p(c0, k) + (p(c1, k) - p(c0, k)) * t).toString(16).padStart(2, "0");
    return out;
  }

  // The history: address down, generation across, one tile per pixel row and generation.
  function drawHistory() {
    const svg = $("history");
    if (!svg) return;
    const layer = $("history-layer");
    clear(layer);
    const H = L.historyHeight, G = Math.max(D.head + 1, 1), cw = W / G;
    const classes = [], index = new Map();
    const count = new Int32Array(H * (G + 1) * 8), born = new Uint8Array(H * G);
    const colourIndex = (i) => {
      const c = colourOf(i);
      if (!index.has(c)) { index.set(c, classes.length); classes.push(c); }
      return Math.min(index.get(c), 7);
    };
    for (let i = 0; i < N; i++) {
      const y0 = Math.floor(xOf(first[i]) / W * H), y1 = Math.max(y0 + 1, Math.ceil(xEnd(last[i]) / W * H));
      const b = Math.max(R.b[i], 0), d = R.d[i] < 0 ? G : R.d[i], k = colourIndex(i);
      for (let y = y0; y < Math.min(y1, H); y++) {
        count[(y * (G + 1) + b) * 8 + k]++;
        count[(y * (G + 1) + d) * 8 + k]--;
        if (R.b[i] > 0) born[y * G + R.b[i]] = 1;
      }
    }
    for (let y = 0; y < H; y++) {
      const sum = new Int32Array(8);
      let run = null;
      const flush = () => { if (run) el("rect", { x: run[0] * cw, y: y, width: (run[1] - run[0]) * cw, height: 1, fill: run[2] }, layer); };
      for (let g = 0; g < G; g++) {
        let best = -1;
        for (let k = 0; k < 8; k++) { sum[k] += count[(y * (G + 1) + g) * 8 + k]; if (sum[k] > 0 && (best < 0 || sum[k] > sum[best])) best = k; }
        const colour = best < 0 ? null : classes[best];
        if (run && run[2] === colour) run[1] = g + 1; else { flush(); run = colour ? [g, g + 1, colour] : null; }
      }
      flush();
    }
    for (let y = 0; y < H; y++) {
      for (let g = 1; g < G; g++) {
        if (born[y * G + g]) el("rect", { x: g * cw, y: y, width: Math.min(2, cw), height: 1, fill: "#222" }, layer);
      }
    }
    for (const [name, g] of D.snapshots) {
      el("line", { x1: g * cw + cw / 2, x2: g * cw + cw / 2, y1: 0, y2: H, class: "snapshot" }, layer);
      el("text", { x: g * cw + cw / 2 + 2, y: 10, class: "snapshot-label" }, layer).textContent = name;
    }
    el("rect", { id: "selected-generation", x: state.generation * cw, y: 0, width: Math.max(cw, 2), height: H, class: "selected" }, layer);
  }

  function listing() {
    const pre = $("listing");
    if (visible.length > 5000) { pre.textContent = visible.length + " runs: too many to list here (mmu show lists them)"; return; }
    const lines = [];
    for (const i of visible) {
      lines.push([hex(first[i]), R.n[i], sizeName(R.s[i]), hex(frame[i]), protName(R.p[i]), R.a[i] & 1 ? "global" : "-", D.cacheModes[R.c[i]]].join(" "));
    }
    pre.textContent = lines.join("\n");
  }

  function diffSummary() {
    if (!D.compare) return;
    const body = $("diff-summary-body");
    const table = (changes, kinds, section) => {
      for (const [bit, name] of kinds) {
        let ranges = 0, bytes = 0n;
        for (const c of changes) if (c[2] & bit) { ranges++; bytes += BigInt(c[1] - c[0]) << 12n; }
        const row = document.createElement("tr");
        row.dataset.section = section; row.dataset.kind = name; row.dataset.ranges = ranges; row.dataset.bytes = bytes.toString();
        for (const text of [section, name, String(ranges), bytes.toString()]) {
          const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
        }
        body.appendChild(row);
      }
    };
    table(D.compare.changes, D.kinds, "entries");
    table(D.compare.areaChanges, D.areaKinds, "areas");
    $("diff-total").dataset.ranges = D.compare.changes.length;
    $("diff-total").dataset.areaRanges = D.compare.areaChanges.length;
    $("diff-total").textContent = D.compare.changes.length + " changed entry ranges, " + D.compare.areaChanges.length + " changed area ranges";
  }

  function describe(page) {
    let lo = 0, hi = visible.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (last[visible[m]] <= page) lo = m + 1; else hi = m; }
    const lines = [];
    if (lo < visible.length && first[visible[lo]] <= page) {
      const i = visible[lo], k = Math.floor((page - first[i]) / per[i]), start = first[i] + k * per[i];
      const live = R.d[i] < 0 && state.generation === D.head;
      lines.push("entry " + hex(start) + "–" + hex(start + per[i]) + " → " + hex(frame[i] + k * per[i]));
      lines.push("size " + sizeName(R.s[i]) + ", protection " + protName(R.p[i]) + ", cache " + D.cacheModes[R.c[i]] + (R.a[i] & 1 ? ", global" : ""));
      lines.push((R.a[i] & 1 ? "global (kept by the global set), seen from generation " : "born in generation ") + R.b[i] + (R.d[i] < 0 ? ", live" : ", replaced in generation " + R.d[i]));
      lines.push(live ? "accessed " + ((R.a[i] & 2) ? "yes" : "no") + ", dirty " + ((R.a[i] & 4) ? "yes" : "no") : "accessed and dirty bits are kept for the head only");
      lines.push("in a run of " + R.n[i] + " alike entries from " + hex(first[i]));
    } else {
      lines.push(hex(page) + ": not mapped at generation " + state.generation);
    }
    let h0 = 0, h1 = heatPages.length;
    while (h0 < h1) { const m = (h0 + h1) >> 1; if (heatPages[m] < page) h0 = m + 1; else h1 = m; }
    if (h0 < heatPages.length && heatPages[h0] === page) {
      lines.push("page " + hex(page) + ": " + C.accesses[h0] + " accesses, " + C.writes[h0] + " writes, " + C.faults[h0] + " faults");
    } else {
      lines.push("page " + hex(page) + ": no counters");
    }
    for (const area of D.areas) {
      if (area[0] <= page && page < area[1]) lines.push("area " + (area[5] || "(unnamed)") + " " + hex(area[0]) + "–" + hex(area[1]) + " " + protName(area[2]) + " " + area[3]);
    }
    $("info").textContent = lines.join("\n");
  }

  function redraw() { drawMap(); listing(); }

  // Controls: colouring, heat, zoom and pan, hover and click, generation.
  $("colour").value = state.colour;
  $("colour").addEventListener("change", () => { state.colour = $("colour").value; drawMap(); drawHistory(); });
  $("heat").checked = state.heat;
  $("heat").addEventListener("change", () => { state.heat = $("heat").checked; drawMap(); });
  const map = $("map");
  const nominal = (event) => {
    const box = map.getBoundingClientRect();
    return state.view[0] + (event.clientX - box.left) / box.width * (state.view[1] - state.view[0]);
  };
  function zoom(factor, centre) {
    const [a, b] = state.view;
    const width = Math.min(W, Math.max((b - a) * factor, 1e-9));
    let start = centre - (centre - a) * width / (b - a);
    start = Math.max(0, Math.min(W - width, start));
    state.view = [start, start + width];
    drawMap();
  }
  map.addEventListener("wheel", (event) => { event.preventDefault(); zoom(event.deltaY < 0 ? 0.5 : 2, nominal(event)); }, { passive: false });
  let drag = null;
  map.addEventListener("mousedown", (event) => { drag = { x: event.clientX, view: state.view.slice() }; });
  window.addEventListener("mouseup", () => { drag = null; });
  map.addEventListener("mousemove", (event) => {
    if (drag) {
      const box = map.getBoundingClientRect(), width = drag.view[1] - drag.view[0];
      let start = drag.view[0] - (event.clientX - drag.x) / box.width * width;
      start = Math.max(0, Math.min(W - width, start));
      state.view = [start, start + width];
      drawMap();
      return;
    }
    if (state.pinned !== null) return;
    const page = pageAt(nominal(event));
    if (page !== null) describe(page);
  });
  map.addEventListener("click", (event) => {
    const page = pageAt(nominal(event));
    state.pinned = state.pinned === null && page !== null ? page : null;
    if (page !== null) describe(page);
  });
  $("zoom-in").addEventListener("click", () => zoom(0.5, (state.view[0] + state.view[1]) / 2));
  $("zoom-out").addEventListener("click", () => zoom(2, (state.view[0] + state.view[1]) / 2));
  $("zoom-reset").addEventListener("click", () => { state.view = [0, W]; drawMap(); });
  const history = $("history");
  if (history) {
    history.addEventListener("click", (event) => {
      const box = history.getBoundingClientRect();
      const g = Math.max(0, Math.min(D.head, Math.floor((event.clientX - box.left) / box.width * Math.max(D.head + 1, 1))));
      selectGeneration(g);
      redraw();
      drawHistory();
    });
  }

  selectGeneration(state.generation);
  redraw();
  drawHistory();
  diffSummary();
  $("status").dataset.ready = "1";
})().catch((error) => {
  document.getElementById("status").textContent = "cannot draw the map: " + error.message;
  throw error;
});
"""#
}
