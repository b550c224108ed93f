// The weight tuner (report/tuner.py): recompute composites, gaps, bounds and verdicts
// from the embedded normalised cells, as engagement compare does. No network, no
// framework; every text from data is placed with textContent.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("tuner-data").textContent);
  const [FOCAL, REFERENCE] = DATA.actors;
  const PILLARS = DATA.pillars.map((p) => p.id);
  const INDICATORS = DATA.indicators.map((i) => i.id);
  const MEMBERS = new Map(PILLARS.map((p) => [p, []]));
  DATA.indicators.forEach((ind, j) => MEMBERS.get(ind.pillar).push(j));
  const PROFILES = new Map(DATA.profiles.map((p) => [p.name, p]));
  const NAME_RULE = /^[a-z0-9][a-z0-9_-]*$/;
  const UNDETERMINED = "undetermined";
  const weights = new Map();
  const state = { preset: DATA.default, base: DATA.default };
  const $ = (id) => document.getElementById(id);

  // --- weights -------------------------------------------------------------------------

  // An indicator's weight within its pillar in a profile (default 1, as in weights.py).
  const indicatorWeight = (profile, i) =>
    (Object.prototype.hasOwnProperty.call(profile.indicators, i) ? profile.indicators[i] : 1);

  function applyProfile(profile) {
    PILLARS.forEach((p) => weights.set(p, profile.pillars[p]));
    INDICATORS.forEach((i) => weights.set(i, indicatorWeight(profile, i)));
    state.preset = profile.name;
    state.base = profile.name;
  }

  // Weights rescaled to sum to one (equal shares when all are zero), as
  // Structure.normalised_weights does.
  function shares(keys) {
    const total = keys.reduce((s, k) => s + weights.get(k), 0);
    return keys.map((k) => (total > 0 ? weights.get(k) / total : 1 / keys.length));
  }

  // Effective weight of every indicator: pillar share x share within the pillar.
  function effective() {
    const eff = new Array(INDICATORS.length).fill(0);
    const pillarShare = shares(PILLARS);
    PILLARS.forEach((p, k) => {
      const members = MEMBERS.get(p);
      const within = shares(members.map((j) => INDICATORS[j]));
      members.forEach((j, m) => { eff[j] = pillarShare[k] * within[m]; });
    });
    return eff;
  }

  // --- scores --------------------------------------------------------------------------

  function dot(eff, values) {
    let s = 0;
    for (let j = 0; j < eff.length; j += 1) s += eff[j] * values[j];
    return s;
  }

  function verdictOf(low, high) {
    if (low > 0) return FOCAL.code;
    if (high < 0) return REFERENCE.code;
    return UNDETERMINED;
  }

  // One entry per country: composites, gap, exact gap bounds, verdict class.
  function score() {
    const eff = effective();
    return DATA.countries.map((c, k) => {
      const focal = dot(eff, DATA.estimate[0][k]);
      const reference = dot(eff, DATA.estimate[1][k]);
      const low = dot(eff, DATA.low[0][k]) - dot(eff, DATA.high[1][k]);
      const high = dot(eff, DATA.high[0][k]) - dot(eff, DATA.low[1][k]);
      return {
        iso3: c.iso3, name: c.name, focal, reference, gap: focal - reference,
        low, high, verdict: verdictOf(low, high),
      };
    });
  }

  // Ranked by gap, largest first, ties by name; rank = 1 + number of larger gaps.
  function ranked(rows) {
    const out = rows.slice().sort((a, b) =>
      b.gap - a.gap || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.forEach((r) => { r.rank = 1 + rows.filter((o) => o.gap > r.gap).length; });
    return out;
  }

  // --- table ---------------------------------------------------------------------------

  const fixed = (x) => x.toFixed(2);
  const signed = (x) => (x > 0 ? "+" : "") + x.toFixed(2);
  const actorName = (code) => (code === FOCAL.code ? FOCAL.name
    : code === REFERENCE.code ? REFERENCE.name : UNDETERMINED);
  const tableRows = new Map();

  function rowFor(iso3) {
    if (!tableRows.has(iso3)) {
      const tr = document.createElement("tr");
      tr.id = "row-" + iso3;
      for (let k = 0; k < 8; k += 1) {
        const td = document.createElement("td");
        if (k !== 1 && k !== 7) td.className = "num";
        tr.append(td);
      }
      tableRows.set(iso3, tr);
    }
    return tableRows.get(iso3);
  }

  function drawTable(rows) {
    const body = $("rows");
    body.replaceChildren();
    rows.forEach((r) => {
      const tr = rowFor(r.iso3);
      const cells = tr.children;
      const texts = [String(r.rank), r.name + " (" + r.iso3 + ")", fixed(r.reference),
        fixed(r.focal), signed(r.gap), signed(r.low), signed(r.high), actorName(r.verdict)];
      texts.forEach((t, k) => { cells[k].textContent = t; });
      cells[7].className = r.verdict === UNDETERMINED ? "" : r.verdict.toLowerCase();
      cells[7].dataset.verdict = r.verdict;
      body.append(tr);
    });
  }

  function drawSummary(rows) {
    const count = (f) => rows.filter(f).length;
    const n = rows.length;
    $("summary").textContent =
      "Under these weights the evidence decides who leads in " +
      count((r) => r.verdict !== UNDETERMINED) + " of the " + n + " countries (" +
      FOCAL.short + " " + count((r) => r.verdict === FOCAL.code) + ", " + REFERENCE.short +
      " " + count((r) => r.verdict === REFERENCE.code) + "); best estimates: " +
      FOCAL.short + " ahead in " + count((r) => r.gap > 0) + ", " + REFERENCE.short +
      " in " + count((r) => r.gap < 0) + ", level in " + count((r) => r.gap === 0) + ".";
  }

  // --- chart (inline SVG) --------------------------------------------------------------

  const chart = $("chart");
  const NS = chart.namespaceURI;
  const LAYOUT = { width: 760, left: 190, right: 20, top: 24, row: 16 };

  function svg(tag, attrs, text) {
    const el = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, String(v)));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function colourOf(verdict) {
    if (verdict === FOCAL.code) return FOCAL.colour;
    if (verdict === REFERENCE.code) return REFERENCE.colour;
    return "#888888";
  }

  function drawAxis(group, x, span, bottom) {
    [-span, -span / 2, 0, span / 2, span].forEach((t) => {
      group.append(svg("line", { x1: x(t), x2: x(t), y1: LAYOUT.top - 4, y2: bottom,
        stroke: t === 0 ? "#1a1a1a" : "#dddddd" }));
      group.append(svg("text", { x: x(t), y: LAYOUT.top - 8, "text-anchor": "middle" },
        signed(t).replace(".00", "")));
    });
  }

  function drawChart(rows) {
    const group = $("chart-body");
    group.replaceChildren();
    const extent = Math.max(10, ...rows.map((r) => Math.max(Math.abs(r.low), Math.abs(r.high))));
    const span = Math.ceil(extent / 10) * 10;
    const inner = LAYOUT.width - LAYOUT.left - LAYOUT.right;
    const x = (v) => LAYOUT.left + ((v + span) / (2 * span)) * inner;
    const bottom = LAYOUT.top + rows.length * LAYOUT.row;
    chart.setAttribute("viewBox", "0 0 " + LAYOUT.width + " " + (bottom + 6));
    drawAxis(group, x, span, bottom);
    rows.forEach((r, k) => {
      const y = LAYOUT.top + k * LAYOUT.row + LAYOUT.row / 2;
      const g = svg("g", {});
      g.append(svg("title", {}, r.name + ": gap " + signed(r.gap) + ", bounds " +
        signed(r.low) + " to " + signed(r.high) + ", " + actorName(r.verdict)));
      g.append(svg("text", { x: LAYOUT.left - 6, y: y + 4, "text-anchor": "end" }, r.name));
      g.append(svg("rect", { x: x(r.low), y: y - 4, width: Math.max(1, x(r.high) - x(r.low)),
        height: 8, fill: colourOf(r.verdict), "fill-opacity": 0.35 }));
      const ahead = r.gap > 0 ? FOCAL.code : r.gap < 0 ? REFERENCE.code : UNDETERMINED;
      g.append(svg("circle", { cx: x(r.gap), cy: y, r: 3.5, fill: colourOf(ahead),
        stroke: "#1a1a1a" }));
      group.append(g);
    });
  }

  // --- controls ------------------------------------------------------------------------

  // A number for a profile file: shortest exact text; YAML 1.1 needs "1.0e-7", not "1e-7".
  const yamlNumber = (v) => String(v).replace(/^(-?\d+)e/, "$1.0e");

  function showWeights() {
    const eff = effective();
    const pillarShare = shares(PILLARS);
    weights.forEach((v, key) => {
      const range = $("w-" + key);
      const number = $("n-" + key);
      range.max = String(Math.max(Number(range.max), v));
      range.value = String(v);
      if (Number(number.value) !== v || number.value === "") number.value = String(v);
      number.removeAttribute("aria-invalid");
    });
    PILLARS.forEach((p, k) => { $("share-" + p).textContent = (100 * pillarShare[k]).toFixed(1) + "%"; });
    INDICATORS.forEach((i, j) => { $("share-" + i).textContent = (100 * eff[j]).toFixed(1) + "%"; });
    document.querySelectorAll("[data-profile]").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.profile === state.preset));
    });
    $("weights-summary").textContent = "Weights: " + (state.preset
      ? "profile " + state.preset : "custom, from profile " + state.base) + "; pillar shares " +
      PILLARS.map((p, k) => p + " " + (100 * pillarShare[k]).toFixed(1) + "%").join(", ") + ".";
  }

  function profileYaml(name, rationale) {
    const map = (keys) => "{" + keys.map((k) => JSON.stringify(k) + ": " +
      yamlNumber(weights.get(k))).join(", ") + "}";
    const source = state.preset ? "the " + state.preset + " profile"
      : "the " + state.base + " profile, changed";
    return [
      "name: " + JSON.stringify(name),
      "title: " + JSON.stringify("Tuned weights (" + name + ")"),
      "description: " + JSON.stringify("Weights set in the weight tuner (tuner.html) for " +
        FOCAL.short + " versus " + REFERENCE.short + ", window " + DATA.window +
        ", starting from " + source + "."),
      "rationale: " + JSON.stringify(rationale.trim() ||
        "Not stated when the weights were saved from the tuner."),
      "pillars: " + map(PILLARS),
      "indicators: " + map(INDICATORS.filter((i) => weights.get(i) !== 1)),
      "",
    ].join("\n");
  }

  // The address of these weights: a preset's name, or every weight that differs from
  // the default profile (which the page applies first).
  function linkFragment() {
    if (state.preset) return "#profile=" + encodeURIComponent(state.preset);
    const start = PROFILES.get(DATA.default);
    const differs = (k) => weights.get(k) !==
      (MEMBERS.has(k) ? start.pillars[k] : indicatorWeight(start, k));
    return "#w=" + PILLARS.concat(INDICATORS).filter(differs)
      .map((k) => k + ":" + weights.get(k)).join(",");
  }

  // Weights the model refuses (weights.py): no pillar above zero, or a total too large to
  // add up (it overflows to Infinity, and every share would be 0).
  function weightsProblem() {
    if (!PILLARS.some((p) => weights.get(p) > 0)) return "give at least one pillar a weight above zero";
    const groups = [PILLARS].concat(PILLARS.map((p) => MEMBERS.get(p).map((j) => INDICATORS[j])));
    const total = (keys) => keys.reduce((s, k) => s + weights.get(k), 0);
    return groups.every((g) => Number.isFinite(total(g))) ? "" : "the weights are too large to add up";
  }

  function problemsForSaving(name) {
    const out = [];
    if (!NAME_RULE.test(name)) out.push("the profile name must be lower-case letters, digits, - or _");
    const problem = weightsProblem();
    if (problem) out.push(problem);
    return out;
  }

  function showSave() {
    const name = $("profile-name").value;
    const problems = problemsForSaving(name);
    $("profile-name").setAttribute("aria-invalid", String(!NAME_RULE.test(name)));
    $("save").disabled = problems.length > 0;
    $("profile-yaml").textContent = problems.length ? "Cannot save: " + problems.join("; ") + "."
      : profileYaml(name, $("profile-rationale").value);
    $("permalink").href = linkFragment();
  }

  function refresh() {
    showWeights();
    const problem = weightsProblem();
    const rows = problem ? [] : ranked(score());
    drawTable(rows);
    drawChart(rows);
    if (problem) $("summary").textContent = "No scores under these weights: " + problem + ".";
    else drawSummary(rows);
    showSave();
  }

  function setWeight(key, value) {
    weights.set(key, value);
    state.preset = null;
    refresh();
  }

  function onRange(event) {
    const key = event.target.dataset.key;
    $("n-" + key).value = event.target.value;
    setWeight(key, Number(event.target.value));
  }

  function onNumber(event) {
    const input = event.target;
    const value = input.value === "" ? NaN : Number(input.value);
    if (!(Number.isFinite(value) && value >= 0)) {
      input.setAttribute("aria-invalid", "true");
      return;
    }
    setWeight(input.dataset.key, value);
  }

  function save() {
    const name = $("profile-name").value;
    if (problemsForSaving(name).length) return;
    const blob = new Blob([profileYaml(name, $("profile-rationale").value)],
      { type: "application/x-yaml" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name + ".yaml";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 0);
  }

  // --- the address: #profile=NAME and/or #w=KEY:VALUE,... --------------------------------

  function parseWeights(text, problems) {
    text.split(",").filter((part) => part).forEach((part) => {
      const [key, raw] = part.split(":");
      const value = raw === undefined || raw === "" ? NaN : Number(raw);
      if (!weights.has(key)) problems.push("unknown weight " + JSON.stringify(key));
      else if (!(Number.isFinite(value) && value >= 0)) problems.push(key + " must be a number >= 0");
      else { weights.set(key, value); state.preset = null; }
    });
  }

  function applyAddress() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const problems = [];
    const name = params.get("profile");
    if (name !== null && !PROFILES.has(name)) problems.push("no profile named " + JSON.stringify(name));
    applyProfile(PROFILES.get(name !== null && PROFILES.has(name) ? name : DATA.default));
    if (params.has("w")) parseWeights(params.get("w"), problems);
    $("status").textContent = problems.length
      ? "The address was not fully understood: " + problems.join("; ") + "." : "";
    refresh();
  }

  document.querySelectorAll("input[type=range]").forEach((el) => el.addEventListener("input", onRange));
  document.querySelectorAll("input[type=number]").forEach((el) => el.addEventListener("input", onNumber));
  document.querySelectorAll("[data-profile]").forEach((b) => b.addEventListener("click", () => {
    applyProfile(PROFILES.get(b.dataset.profile));
    refresh();
  }));
  $("profile-name").addEventListener("input", showSave);
  $("profile-rationale").addEventListener("input", showSave);
  $("save").addEventListener("click", save);
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("hashchange", applyAddress);
  applyAddress();
}());
