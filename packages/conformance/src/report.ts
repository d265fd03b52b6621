import type { ScenarioResult } from "./scenario.js";

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = (s: string) => paint(32, s);
export const red = (s: string) => paint(31, s);
const dim = (s: string) => paint(2, s);

const count = (rs: ScenarioResult[], outcome: ScenarioResult["outcome"]) => rs.filter((r) => r.outcome === outcome).length;

/**
 * A readable summary: per dialect and group, green/red counts (and skipped ones), then every
 * skipped group with its reason, then every failure with its problems.
 */
export function summary(results: ScenarioResult[]): string {
  const lines: string[] = [];
  const dialects = [...new Set(results.map((r) => r.dialect))];
  for (const dialect of dialects) {
    const mine = results.filter((r) => r.dialect === dialect);
    const failed = count(mine, "failed");
    const skipped = count(mine, "skipped");
    lines.push(`${dialect}: ${green(`${count(mine, "passed")} passed`)}${failed ? `, ${red(`${failed} failed`)}` : ""}${skipped ? `, ${skipped} skipped` : ""}`);
    for (const group of [...new Set(mine.map((r) => r.group))]) {
      const inGroup = mine.filter((r) => r.group === group);
      const bad = count(inGroup, "failed");
      const ran = inGroup.length - count(inGroup, "skipped");
      if (!ran) continue; // listed with the skipped groups below
      lines.push(`  ${bad ? red("✘") : green("✔")} ${group} ${dim(`(${ran - bad}/${ran}${ran < inGroup.length ? `, ${inGroup.length - ran} skipped` : ""})`)}`);
    }
  }
  const skipped = results.filter((r) => r.outcome === "skipped");
  if (skipped.length) {
    lines.push("", `Skipped (${skipped.length}):`);
    // One line per dialect, group and reason: a skipped group is usually skipped as a whole.
    const byReason = new Map<string, number>();
    for (const r of skipped) {
      const k = `[${r.dialect}] ${r.group}: ${r.skipReason ?? "skipped"}`;
      byReason.set(k, (byReason.get(k) ?? 0) + 1);
    }
    for (const [k, n] of byReason) lines.push(dim(`  - ${k}${n > 1 ? ` (${n} scenarios)` : ""}`));
  }
  const failures = results.filter((r) => r.outcome === "failed");
  if (failures.length) {
    lines.push("", red(`Failures (${failures.length}):`));
    for (const f of failures) {
      lines.push(`${red("✘")} [${f.dialect}] ${f.group} › ${f.name}`);
      for (const p of f.problems.slice(0, 6)) lines.push(`    ${p}`);
      if (f.problems.length > 6) lines.push(`    … and ${f.problems.length - 6} more`);
    }
  }
  const total = results.length - skipped.length;
  const failed = failures.length;
  const skippedNote = skipped.length ? ` (${skipped.length} skipped)` : "";
  lines.push("", failed ? red(`${failed} of ${total} scenarios failed${skippedNote}`) : green(`all ${total} scenarios passed${skippedNote}`));
  return lines.join("\n");
}

const xml = (s: string) =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: one testsuite per dialect, one testcase per scenario (classname = dialect.group). */
export function junit(results: ScenarioResult[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = count(results, "failed");
  const time = (ms: number) => (ms / 1000).toFixed(3);
  out.push(`<testsuites name="commlog-conformance" tests="${results.length}" failures="${failures}" skipped="${count(results, "skipped")}" time="${time(results.reduce((a, r) => a + r.durationMs, 0))}">`);
  for (const dialect of [...new Set(results.map((r) => r.dialect))]) {
    const mine = results.filter((r) => r.dialect === dialect);
    const bad = count(mine, "failed");
    out.push(`  <testsuite name="${xml(dialect)}" tests="${mine.length}" failures="${bad}" errors="0" skipped="${count(mine, "skipped")}" time="${time(mine.reduce((a, r) => a + r.durationMs, 0))}">`);
    for (const r of mine) {
      const open = `    <testcase classname="${xml(`${r.dialect}.${r.group}`)}" name="${xml(r.name)}" time="${time(r.durationMs)}"`;
      if (r.outcome === "passed") out.push(`${open}/>`);
      else if (r.outcome === "skipped") out.push(`${open}><skipped message="${xml(r.skipReason ?? "skipped")}"/></testcase>`);
      else {
        out.push(`${open}>`);
        out.push(`      <failure message="${xml(r.problems[0]!.slice(0, 500))}">${xml(r.problems.join("\n"))}</failure>`);
        out.push("    </testcase>");
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
