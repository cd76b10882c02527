/**
 * The parameters fitted for one embedding model travel with it: `quotebot.json` in the model's folder holds the
 * learned ranker and the abstention model (written by training/train_ranker.py). A model without its own file
 * gets the linear fusion and abstention defaults, and one warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FEATURE_NAMES } from './features';
import { DEFAULT_RANKING, type RankingParameters } from './ranking';
import { RESCORE_FEATURE_NAMES } from './rescore';
import { TreeEnsemble, type TreeEnsembleJson } from './trees';

export const PARAMETERS_FILE = 'quotebot.json';

/**
 * An answerability model over named signals of the best candidate (see `ABSTENTION_SIGNALS`): logistic
 * (`weights`, `bias`) or boosted trees (`trees`, their sum taken as log-odds).
 */
export interface AbstentionModel {
  features: string[];
  weights?: number[];
  bias?: number;
  trees?: TreeEnsemble;
  /** Answer only when the probability reaches this. */
  threshold: number;
}

/**
 * The cross-encoder stage (rescore.ts): the cross-encoder scores the ranker's best `top`, a second ranker reorders
 * them, and its own abstention model (fitted on the second ranker's scores) decides. Without the cross-encoder
 * (its folder missing or unloadable) the engine keeps the ranker and the abstention model stored beside it.
 */
export interface CrossEncoderStage {
  /** The cross-encoder's folder (stored relative to quotebot.json). */
  model: string;
  top: number;
  ranker: TreeEnsemble;
  abstention: AbstentionModel;
}

export interface ModelParameters {
  /** Linear fusion: orders the candidates the ranker rescores, and is the whole ranking without a ranker. */
  fusion: RankingParameters;
  /** How many of the fused best candidates the ranker rescores. */
  shortlist: number;
  ranker: TreeEnsemble | null;
  /** With a ranker: quotes after the first must score at least the first's score minus this. */
  scoreMargin: number;
  abstention: AbstentionModel | null;
  crossEncoder: CrossEncoderStage | null;
  /** Where they came from: the file, or "defaults". */
  source: string;
}

/** The signals the abstention model may weigh: the ranker's best score, its margin to the second, and features. */
export const ABSTENTION_SIGNALS: readonly string[] = ['score', 'margin', ...FEATURE_NAMES];

const DEFAULTS: ModelParameters = {
  fusion: DEFAULT_RANKING, shortlist: 40, ranker: null, scoreMargin: Infinity, abstention: null, crossEncoder: null, source: 'defaults',
};

/** Parses a `quotebot.json` document; throws with the reason when it does not fit this engine's features. */
export function parseModelParameters(json: unknown, source: string): ModelParameters {
  const doc = json as {
    shortlist?: number; scoreMargin?: number; ranker?: TreeEnsembleJson; abstention?: StoredAbstention; fusion?: Partial<RankingParameters>;
    crossEncoder?: StoredStage;
  };
  if (typeof doc !== 'object' || doc === null) throw new Error('not a JSON object');
  const ranker = doc.ranker ? new TreeEnsemble(doc.ranker, FEATURE_NAMES) : null;
  const abstention = doc.abstention ? parseAbstention(doc.abstention) : null;
  if (doc.crossEncoder && !(ranker && abstention)) throw new Error('the cross-encoder stage needs the ranker and its abstention model');
  const crossEncoder = doc.crossEncoder ? parseStage(doc.crossEncoder, source) : null;
  if (abstention && !ranker && abstention.features.some((f) => f === 'score' || f === 'margin')) throw new Error('the abstention model needs the ranker');
  const shortlist = doc.shortlist ?? DEFAULTS.shortlist;
  if (!Number.isInteger(shortlist) || shortlist < 1) throw new Error('shortlist must be a positive integer');
  const scoreMargin = doc.scoreMargin ?? DEFAULTS.scoreMargin;
  if (!(scoreMargin > 0)) throw new Error('scoreMargin must be positive');
  return { fusion: { ...DEFAULT_RANKING, ...doc.fusion }, shortlist, ranker, scoreMargin, abstention, crossEncoder, source };
}

type StoredAbstention = Omit<AbstentionModel, 'trees'> & { trees?: TreeEnsembleJson['trees'] };
type StoredStage = { model: string; top: number; ranker: TreeEnsembleJson; abstention: StoredAbstention };

function parseStage(stage: StoredStage, source: string): CrossEncoderStage {
  if (typeof stage.model !== 'string' || !stage.model) throw new Error('the cross-encoder stage names no model folder');
  if (!Number.isInteger(stage.top) || stage.top < 2) throw new Error('the cross-encoder stage\'s top must be an integer of at least 2');
  return {
    model: path.resolve(path.dirname(source), stage.model),
    top: stage.top,
    ranker: new TreeEnsemble(stage.ranker, RESCORE_FEATURE_NAMES),
    abstention: parseAbstention(stage.abstention),
  };
}

function parseAbstention(a: StoredAbstention): AbstentionModel {
  const named = Array.isArray(a.features) && a.features.every((f) => ABSTENTION_SIGNALS.includes(f));
  if (!named || !Number.isFinite(a.threshold)) throw new Error('the abstention model names unknown signals or is incomplete');
  if (a.trees) return { features: a.features, trees: new TreeEnsemble({ features: a.features, trees: a.trees }, a.features), threshold: a.threshold };
  const logistic = Array.isArray(a.weights) && a.weights.length === a.features.length && [a.bias, ...a.weights].every(Number.isFinite);
  if (!logistic) throw new Error('the abstention model names unknown signals or is incomplete');
  return { features: a.features, weights: a.weights, bias: a.bias, threshold: a.threshold };
}

/**
 * The parameters stored beside a model, or the defaults (with one warning) when the model has none or they cannot
 * be read.
 * @param folder the model's local folder; null for a model with no folder of its own
 * @example loadModelParameters(OFFLINE_MODEL, console.warn).ranker?.size // the number of trees
 */
export function loadModelParameters(folder: string | null, model: string, warn: (message: string) => void): ModelParameters {
  if (folder === null) {
    warn(`model ${model} has no ${PARAMETERS_FILE} of its own: using the default ranking (linear fusion, abstention fitted for the offline model)`);
    return DEFAULTS;
  }
  const file = path.join(folder, PARAMETERS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    warn(`model ${model} has no ${PARAMETERS_FILE} of its own: using the default ranking (linear fusion, abstention fitted for the offline model)`);
    return DEFAULTS;
  }
  try {
    return parseModelParameters(JSON.parse(text), file);
  } catch (err) {
    warn(`${file} cannot be used (${(err as Error).message}): using the default ranking`);
    return DEFAULTS;
  }
}
