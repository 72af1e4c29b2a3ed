/** The mark that stands where text was dropped. */
export const ELLIPSIS = '…';

/** Below this, a shortened label has no room for a head, an ellipsis and a tail. */
const MIN_WIDTH = 6;

/**
 * Labels shortened to about `width` characters each, so that no two read the same: a label that fits is
 * kept; one that differs from every other within its first `width - 1` characters keeps its head
 * (`ci · build-and-test · a…`); one that differs only near its end keeps a short head and the tail that
 * tells it apart (`ci · b…est · ai review`); one that differs only in its middle shows the part around
 * the difference (`…/v2/users…`). A label that would still read like another is shown whole. Equal
 * labels stay equal. The result is in the order of `labels`.
 */
export function distinctLabels(labels: readonly string[], width: number): string[] {
  const w = Math.max(MIN_WIDTH, Math.floor(width));
  const unique = [...new Set(labels)];
  const short = new Map(unique.map((label) => [label, shorten(label, unique, w)]));
  const seen = new Map<string, number>();
  for (const s of short.values()) seen.set(s, (seen.get(s) ?? 0) + 1);
  for (const [label, s] of short) {
    if ((seen.get(s) ?? 0) > 1 || (s !== label && unique.includes(s))) short.set(label, label);
  }
  return labels.map((label) => short.get(label) ?? label);
}

function shorten(label: string, all: readonly string[], w: number): string {
  if (label.length <= w) return label;
  const others = all.filter((other) => other !== label);
  const prefix = Math.max(0, ...others.map((other) => commonPrefix(label, other)));
  const suffix = Math.max(0, ...others.map((other) => commonSuffix(label, other)));
  if (prefix < w - 1) return label.slice(0, w - 1) + ELLIPSIS;
  const head = Math.floor((w - 1) / 3);
  const tail = w - 1 - head;
  if (suffix < tail) return label.slice(0, head) + ELLIPSIS + label.slice(-tail);
  if (suffix < w - 1) return ELLIPSIS + label.slice(-(w - 1));
  // the same head and tail as another: show the middle, from a little before where they part
  const start = Math.min(Math.max(1, prefix - Math.floor((w - 2) / 3)), label.length - (w - 2) - 1);
  return ELLIPSIS + label.slice(start, start + w - 2) + ELLIPSIS;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}
