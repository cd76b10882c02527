/**
 * A gradient-boosted tree ensemble (LightGBM, exported by training/train_ranker.py) evaluated in plain TypeScript:
 * a few hundred small trees over one feature row cost microseconds, so no runtime library is needed.
 */

/**
 * One tree in flat arrays. Internal node `i` sends a row left when `row[feature[i]] <= threshold[i]`; a child
 * index `c >= 0` is another internal node, `c < 0` is the leaf `~c` (so -1 is leaf 0), whose value is `leaf[~c]`.
 * A tree with no split is a single leaf: empty node arrays and one leaf value.
 */
export interface FlatTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  leaf: number[];
}

/** The ensemble as stored: the feature names it was trained on (in row order) and its trees. */
export interface TreeEnsembleJson {
  features: string[];
  trees: FlatTree[];
}

export class TreeEnsemble {
  private readonly trees: FlatTree[];

  /**
   * @param json the stored ensemble
   * @param expected the feature names rows will carry; loading fails when the ensemble was trained on others
   * @example new TreeEnsemble({ features: ['x'], trees: [{ feature: [0], threshold: [0.5], left: [-1], right: [-2], leaf: [0, 1] }] }, ['x']).score([0.7]) // 1
   */
  constructor(json: TreeEnsembleJson, expected: readonly string[]) {
    if (!Array.isArray(json?.trees) || !Array.isArray(json.features)) throw new Error('not a tree ensemble (needs features and trees)');
    if (json.features.join(',') !== expected.join(',')) {
      throw new Error(`the ranker was trained on other features (${json.features.length} features, expected ${expected.length})`);
    }
    for (const [t, tree] of json.trees.entries()) {
      const n = tree.feature.length;
      const ok =
        tree.threshold.length === n && tree.left.length === n && tree.right.length === n && tree.leaf.length === (n === 0 ? 1 : n + 1) &&
        tree.feature.every((f) => f >= 0 && f < expected.length) &&
        [...tree.left, ...tree.right].every((c) => c < n && ~c < tree.leaf.length);
      if (!ok) throw new Error(`tree ${t} is malformed`);
    }
    this.trees = json.trees;
  }

  get size(): number {
    return this.trees.length;
  }

  /** The ensemble's raw score for one row (`row[offset …]`). */
  score(row: ArrayLike<number>, offset = 0): number {
    let sum = 0;
    for (const tree of this.trees) {
      if (tree.feature.length === 0) {
        sum += tree.leaf[0];
        continue;
      }
      let node = 0;
      while (node >= 0) {
        node = row[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      }
      sum += tree.leaf[~node];
    }
    return sum;
  }
}
