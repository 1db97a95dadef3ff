// A self-contained HTML report: one file, inline CSS and script, no
// external assets, readable offline and as a CI artifact. Cases can be
// filtered by outcome, level and text; each failing case has an expandable
// transcript of the frames exchanged, with times since the case started.
import { FAILING_OUTCOMES } from "../case.js";
import { OUTCOMES, type CaseReport, type Report } from "./model.js";

/** Escapes text for HTML content and attribute values. */
export function htmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const e = htmlEscape;
const ms = (v: number | null): string => (v === null ? "" : v < 10 ? v.toFixed(3) : v < 1000 ? v.toFixed(1) : v.toFixed(0));

// The filter bar sticks to the top of the case list, and the case table's
// headings stick just below it, at --bar-h: the script measures the bar,
// whose height changes when it wraps on a narrow window. Numeric columns
// (class n) are right-aligned, headings included.
const CSS = `
:root{--fg:#1b1f24;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--grey:#6e7781;--chip:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px;max-width:1400px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.meta{color:var(--muted)}.verdict{padding:12px 16px;border-radius:6px;margin:16px 0;font-weight:600;color:#fff}.verdict ul{margin:6px 0 0;font-weight:400}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-error{background:var(--grey)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:var(--chip);position:sticky;top:0;z-index:1}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
.case-list{--bar-h:2.6em}.case-list th{top:var(--bar-h)}.o{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--grey)}
.o-pass{background:var(--pass)}.o-fail,.o-crash,.o-framing,.o-timeout{background:var(--fail)}.o-slow{background:var(--warn)}
.lvl-recommended .o-fail,.lvl-recommended .o-slow,.lvl-recommended .o-crash,.lvl-recommended .o-timeout,.lvl-recommended .o-framing,.lvl-optional .o-fail,.lvl-optional .o-slow,.lvl-optional .o-crash,.lvl-optional .o-timeout,.lvl-optional .o-framing,.bl .o{background:var(--warn)}
.bar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0;position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:2}
.bar button{border:1px solid var(--line);background:var(--chip);border-radius:14px;padding:2px 10px;cursor:pointer;font:inherit}.bar button[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.bar input,.bar select{font:inherit;padding:2px 6px;border:1px solid var(--line);border-radius:4px}
details pre{white-space:pre-wrap;word-break:break-all;background:var(--chip);padding:8px;border-radius:4px;max-height:480px;overflow:auto;margin:4px 0}
.msg{white-space:pre-wrap;word-break:break-word}.hidden{display:none}.small{font-size:12px;color:var(--muted)}
`;

const SCRIPT = `
(function(){
  var list=document.querySelector('.case-list'),bar=list.querySelector('.bar');
  function barHeight(){list.style.setProperty('--bar-h',bar.offsetHeight+'px');}
  barHeight();window.addEventListener('resize',barHeight);if(window.ResizeObserver)new ResizeObserver(barHeight).observe(bar);
  var rows=[].slice.call(document.querySelectorAll('#cases tbody tr'));
  var on={};[].forEach.call(document.querySelectorAll('[data-toggle]'),function(b){on[b.dataset.toggle]=b.getAttribute('aria-pressed')==='true';
    b.addEventListener('click',function(){on[b.dataset.toggle]=!on[b.dataset.toggle];b.setAttribute('aria-pressed',String(on[b.dataset.toggle]));apply();});});
  var q=document.getElementById('q'),lv=document.getElementById('level'),shown=document.getElementById('shown');
  function apply(){var t=q.value.toLowerCase(),l=lv.value,n=0;rows.forEach(function(r){
    var ok=on[r.dataset.outcome]&&(l===''||r.dataset.level===l)&&(t===''||r.textContent.toLowerCase().indexOf(t)>=0);
    r.classList.toggle('hidden',!ok);if(ok)n++;});shown.textContent=n+' shown';}
  q.addEventListener('input',apply);lv.addEventListener('change',apply);
  document.getElementById('failing').addEventListener('click',function(){[].forEach.call(document.querySelectorAll('[data-toggle]'),function(b){
    var f=['fail','slow','timeout','crash','framing'].indexOf(b.dataset.toggle)>=0;on[b.dataset.toggle]=f;b.setAttribute('aria-pressed',String(f));});apply();});
  document.getElementById('all').addEventListener('click',function(){[].forEach.call(document.querySelectorAll('[data-toggle]'),function(b){
    on[b.dataset.toggle]=true;b.setAttribute('aria-pressed','true');});apply();});
  apply();
})();
`;

function transcript(c: CaseReport): string {
  if (c.transcript === undefined && c.stderr === undefined) return "";
  const lines = (c.transcript ?? []).map((f) => `${f.t_ms.toFixed(3).padStart(10)} ms  ${f.dir === "sent" ? "→" : f.dir === "received" ? "←" : "·"} ${f.text}`);
  const parts = [
    lines.length > 0 ? `<pre>${e(lines.join("\n"))}</pre>` : "",
    c.stderr !== undefined ? `<div class="small">stderr</div><pre>${e(c.stderr)}</pre>` : "",
  ].join("");
  return `<details><summary>transcript (${lines.length} frame${lines.length === 1 ? "" : "s"}, times since the case started; → sent, ← received)</summary>${parts}</details>`;
}

function caseRow(c: CaseReport): string {
  const timing = c.budget_ms === null ? ms(c.duration_ms) : `${ms(c.duration_ms)}<div class="small">p50 ${ms(c.p50_ms)} · p95 ${ms(c.p95_ms)} / ${c.budget_ms}</div>`;
  const failing = FAILING_OUTCOMES.has(c.outcome);
  const note = c.baselined ? ` <span class="small">(baselined)</span>` : "";
  return (
    `<tr data-outcome="${c.outcome}" data-level="${c.level}" class="lvl-${c.level}${c.baselined ? " bl" : ""}">` +
    `<td class="mono">${e(c.id)}<div class="small">${e(c.requirements.join(" "))}</div></td>` +
    `<td>${c.level}</td><td><span class="o o-${c.outcome}">${c.outcome}</span>${note}</td>` +
    `<td class="small">${e(c.expected)}</td><td class="n">${timing}</td>` +
    `<td><div class="msg">${e(c.message)}</div>${failing ? transcript(c) : ""}</td></tr>`
  );
}

/** Renders report.html. */
export function renderHtml(report: Report): string {
  const s = report.summary;
  const impl = report.implementation;
  const title = `AP2P conformance: ${impl.name} ${impl.version}`.trim();
  const verdictText = report.verdict.result === "pass" ? "PASS" : report.verdict.result === "fail" ? "FAIL" : "ERROR";
  const reasons = report.verdict.reasons.length > 0 ? `<ul>${report.verdict.reasons.map((r) => `<li>${e(r)}</li>`).join("")}</ul>` : "";
  const counts: Record<string, number> = Object.fromEntries(OUTCOMES.map((o) => [o, report.cases.filter((c) => c.outcome === o).length]));
  const levels = (["required", "recommended", "optional"] as const)
    .map((l) => `<tr><td>${l}</td>${OUTCOMES.map((o) => `<td class="n">${s.by_level[l][o] || ""}</td>`).join("")}</tr>`)
    .join("");
  const roles = report.roles
    .map((r) => `<tr><td>${e(r.role)}</td><td>${r.declared ? "yes" : "no"}</td><td class="n">${r.required_passed}</td><td class="n">${r.required_failed}</td><td class="n">${r.required_not_run}</td><td>${r.status.replace("_", " ")}</td></tr>`)
    .join("");
  const incidents =
    report.incidents.length === 0
      ? `<p class="meta">None.</p>`
      : `<table><thead><tr><th class="n">at (ms)</th><th>kind</th><th>what</th></tr></thead><tbody>${report.incidents
          .map(
            (i) =>
              `<tr><td class="n">${ms(i.t_ms)}</td><td>${i.kind}</td><td><div class="msg">${e(i.message)}</div>${i.cases.length > 0 ? `<div class="small mono">${e(i.cases.join(" "))}</div>` : ""}${i.stderr !== undefined ? `<details><summary>stderr</summary><pre>${e(i.stderr)}</pre></details>` : ""}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  const b = report.baseline;
  const baseline =
    b === null
      ? ""
      : `<h2>Baseline</h2><p>${e(b.file)}: ${b.entries} entries, ${b.expected_failures} expected failures.</p>` +
        (b.unexpected_passes.length + b.changed.length + b.stale.length === 0
          ? ""
          : `<ul>${[
              ...b.unexpected_passes.map((u) => `<li>line ${u.line} <code>${e(u.pattern)}</code> passes now: ${e(u.cases.slice(0, 20).join(", "))}${u.cases.length > 20 ? " …" : ""}</li>`),
              ...b.changed.map((c) => `<li>line ${c.line} <code>${e(c.pattern)}</code> expects <code>${e(c.prefix)}</code>, <code>${e(c.case)}</code> gave <code>${e(c.observed)}</code></li>`),
              ...b.stale.map((t) => `<li>line ${t.line} <code>${e(t.pattern)}</code> matches no case of the corpus</li>`),
            ].join("")}</ul>`);
  const reqRows = report.requirements.results
    .map((r) => `<tr data-status="${r.status}"><td class="mono">${r.id}</td><td>${r.level}</td><td class="n">${r.cases}</td><td class="n">${r.passed}</td><td class="n">${r.failed}</td><td class="n">${r.not_run}</td><td>${r.status.replace("_", " ")}</td></tr>`)
    .join("");
  // A run with failures opens on them; a clean run shows everything.
  const anyFailing = report.cases.some((c) => FAILING_OUTCOMES.has(c.outcome));
  const defaultOn = (o: string) => o !== "pass" || !anyFailing;
  const buttons = OUTCOMES.map((o) => `<button type="button" data-toggle="${o}" aria-pressed="${defaultOn(o)}"><span class="o o-${o}">${o}</span> ${counts[o]}</button>`).join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${CSS}</style></head><body>
<h1>${e(title)}</h1>
<div class="meta">over ${impl.transport}: <code>${e(impl.target)}</code><br>
roles: ${e(impl.roles.join(", ") || "(none)")}${impl.operations.length > 0 ? ` · operations: ${e(impl.operations.join(", "))}` : ""}<br>
harness ${e(report.harness.name)} ${e(report.harness.version)} · driver protocol ${report.harness.driver_protocol_version} · corpus ${e(report.corpus.spec_version)}, digest <code>${e(report.corpus.digest ?? "none")}</code> (${report.corpus.verified ? "verified against the signed manifest" : "NOT verified against the signed manifest"})<br>
${e(report.run.started_at)} · ${ms(report.run.duration_ms)} ms · ${report.run.sessions} session${report.run.sessions === 1 ? "" : "s"} · time scale ${report.run.time_scale} · ${report.run.cases_per_second} cases/s</div>
<div class="verdict v-${report.verdict.result}">${verdictText} (exit ${report.verdict.exit_code}): ${s.passed} passed, ${s.required_failed} required failed, ${s.recommended_failed} recommended and ${s.optional_failed} optional failed (warnings), ${s.unsupported} unsupported, ${s.skipped} skipped, ${s.baselined} baselined${reasons}</div>
<h2>Summary</h2>
<table><thead><tr><th>level</th>${OUTCOMES.map((o) => `<th class="n">${o}</th>`).join("")}</tr></thead><tbody>${levels}</tbody></table>
<h2>Roles</h2>
<table><thead><tr><th>role</th><th>declared</th><th class="n">required passed</th><th class="n">required failed</th><th class="n">required not run</th><th>status</th></tr></thead><tbody>${roles}</tbody></table>
${baseline}
<h2>Incidents</h2>
${incidents}
<h2>Cases</h2>
<section class="case-list">
<div class="bar">${buttons}<button type="button" id="failing">failing only</button><button type="button" id="all">all</button>
<select id="level"><option value="">every level</option><option>required</option><option>recommended</option><option>optional</option></select>
<input id="q" type="search" placeholder="filter by id, requirement, message"><span id="shown" class="small"></span></div>
<table id="cases"><thead><tr><th>case</th><th>level</th><th>outcome</th><th>expected</th><th class="n">ms</th><th>message</th></tr></thead><tbody>
${report.cases.map(caseRow).join("\n")}
</tbody></table>
</section>
<h2>Requirements</h2>
<p>${report.requirements.covered} of ${report.requirements.total} requirements are cited by a case of this run.${report.requirements.unknown.length > 0 ? ` Cited but unknown to spec/requirements.json: ${e(report.requirements.unknown.join(", "))}.` : ""}</p>
<details><summary>per requirement</summary><table><thead><tr><th>id</th><th>level</th><th class="n">cases</th><th class="n">passed</th><th class="n">failed</th><th class="n">not run</th><th>status</th></tr></thead><tbody>${reqRows}</tbody></table></details>
<script>${SCRIPT}</script>
</body></html>
`;
}
