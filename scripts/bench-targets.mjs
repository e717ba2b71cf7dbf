// The `TARGET <id> <ratio> <goal> <met|missed> <description>` lines each bench prints, parsed
// and rendered as one summary table by run-bench.mjs.
const TARGET_LINE = /^TARGET (\S+) (\S+) ((?:>=|<=)\d+(?:\.\d+)?) (met|missed) (.*)$/;

export function parseTargetLine(line) {
  const match = TARGET_LINE.exec(line.trim());
  if (!match) return undefined;
  const [, id, ratio, goal, verdict, description] = match;
  return { id, ratio, goal, verdict, description };
}

export function renderTargets(targets) {
  if (targets.length === 0) return '(no bench printed a TARGET line)';
  const width = Math.max(...targets.map((t) => t.id.length));
  const met = targets.filter((t) => t.verdict === 'met').length;
  const rows = targets.map(
    (t) =>
      `${t.id.padEnd(width)}  ${t.ratio.padStart(6)}  ${t.goal.padEnd(7)}  ${t.verdict.padEnd(6)}  ${t.description}`,
  );
  return [...rows, `${met} of ${targets.length} targets met`].join('\n');
}
