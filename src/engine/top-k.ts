/**
 * The best k of n scores, through a min-heap (no n-sized sort): most scores fall below the heap's worst and cost one
 * comparison. Ties go to the lower index.
 * @example bestOf(Float32Array.of(0.1, 0.9, 0.5), 2) // [{ index: 2, score: 0.5 }, { index: 1, score: 0.9 }] (heap order: sort them)
 */
export function bestOf(scores: Float32Array, k: number): Array<{ index: number; score: number }> {
  const n = scores.length;
  k = Math.min(k, n);
  const heapIds = new Int32Array(k);
  const heapScores = new Float32Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const score = scores[i];
    if (size < k) {
      // Sift up.
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(score, i, heapScores[p], heapIds[p])) break;
        heapScores[c] = heapScores[p];
        heapIds[c] = heapIds[p];
        c = p;
      }
      heapScores[c] = score;
      heapIds[c] = i;
    } else if (score > heapScores[0]) {
      // Replace the worst kept (ids rise, so an equal score never displaces it) and sift down.
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= k) break;
        const r = l + 1;
        const w = r < k && worse(heapScores[r], heapIds[r], heapScores[l], heapIds[l]) ? r : l;
        if (!worse(heapScores[w], heapIds[w], score, i)) break;
        heapScores[c] = heapScores[w];
        heapIds[c] = heapIds[w];
        c = w;
      }
      heapScores[c] = score;
      heapIds[c] = i;
    }
  }
  return Array.from({ length: size }, (_, h) => ({ index: heapIds[h], score: heapScores[h] }));
}

/** Whether (score a, id a) ranks below (score b, id b): lower similarity, or equal similarity and a larger id. */
function worse(a: number, aId: number, b: number, bId: number): boolean {
  return a < b || (a === b && aId > bId);
}
