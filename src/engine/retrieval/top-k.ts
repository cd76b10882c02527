/**
 * The best k of many scores, through a binary heap with the worst kept on top: most scores fall below it and cost
 * one comparison, with no n-sized sort. Ties go to the lower document. Used by BM25's MaxScore and the exact dense scan.
 */

/** A scored document. */
export interface Scored {
  doc: number;
  score: number;
}

/** The k best scored documents so far, the worst of them on top. */
export class WorstFirst {
  private readonly items: Scored[] = [];
  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.items.length >= this.k;
  }

  get worst(): Scored {
    return this.items[0];
  }

  /** Adds a document, dropping the worst when k are held already. */
  push(item: Scored): void {
    const { items } = this;
    if (items.length < this.k) {
      items.push(item);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(items[i], items[parent])) break;
        [items[i], items[parent]] = [items[parent], items[i]];
        i = parent;
      }
      return;
    }
    items[0] = item;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < items.length && worse(items[l], items[w])) w = l;
      if (r < items.length && worse(items[r], items[w])) w = r;
      if (w === i) break;
      [items[i], items[w]] = [items[w], items[i]];
      i = w;
    }
  }

  /** Best first. */
  sorted(): Scored[] {
    return [...this.items].sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

/** Ranks below: lower score, or the same score and a later document. */
function worse(a: Scored, b: Scored): boolean {
  return a.score < b.score || (a.score === b.score && a.doc > b.doc);
}

/**
 * The best k of `scores` (indexes into it), best first.
 * @example bestOf(Float32Array.of(0.1, 0.9, 0.5), 2) // [{ index: 1, score: 0.9 }, { index: 2, score: 0.5 }]
 */
export function bestOf(scores: Float32Array, k: number): Array<{ index: number; score: number }> {
  if (k <= 0) return [];
  const heap = new WorstFirst(k);
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    // Indexes rise, so an equal score never displaces the worst kept.
    if (!heap.full || score > heap.worst.score) heap.push({ doc: i, score });
  }
  return heap.sorted().map(({ doc, score }) => ({ index: doc, score }));
}
