// Edit distance and the text similarity the OCR check scores with.

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Uppercase letters and digits only: OCR spacing and punctuation do not count. */
export function normaliseText(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** 1 − normalised edit distance of the normalised strings, in [0, 1]. */
export function textSimilarity(expected: string, read: string): number {
  const a = normaliseText(expected);
  const b = normaliseText(read);
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
}
