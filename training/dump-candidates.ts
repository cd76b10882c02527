/**
 * Dumps the ranker's training and validation rows: the engine's own candidate generation and feature code
 * (src/engine/ranking/features.ts) run over SQuAD train, SQuAD dev and the news dev set, each question's shortlist with
 * its labels. Not a test; reads ../shared and writes to OUT (default /tmp/quotebot-dump), outside the repository.
 *
 *   npx tsx training/dump-candidates.ts [--out DIR] [--cross-encoder DIR] [--compare-cross-encoder DIR] [--only small|small-near]
 *
 * With --cross-encoder, the cross-encoder also scores every candidate of each shortlist: ce.f32 holds one float per row
 * (the rows of features.f32). The ranker only reorders the shortlist, so whatever ranker train_ranker.py fits next,
 * its best 20 are among these rows and train_ce_stage.py takes their scores from here: the dump does not depend on
 * the shipped ranker, and one dump serves any ranker change. The engine scores only the ranker's best 20, in runs
 * of 7 whose int8 activations are quantised per run, so a pair's score here (among the 40) differs slightly from
 * the engine's (among its 20): see docs/development.md (training vs serving scores) for the measured difference.
 * --compare-cross-encoder scores the same rows with a second model into OUT/compare/ (its ce.f32, the rest linked
 * to OUT's files): a dump for train_ce_stage.py that differs from OUT only in the cross-encoder, for a paired
 * before/after of a new model at half the cost of a second dump (train_ranker.py on OUT, then train_ce_stage.py with
 * QUOTEBOT_DUMP=OUT and with QUOTEBOT_DUMP=OUT/compare: it finds the ranker beside the linked features).
 *
 * --only small adds the small-corpus sets to the dump already in OUT (same features and cross-encoder, checked by
 * recomputing its first squad-train-own question), for a dump made before they existed: `cp -al DUMP OUT` then
 * `--only small --out OUT --cross-encoder DIR`, about 100 s instead of a new dump. It never writes through a hard
 * link, so DUMP stays as it was (training/extend-dump.ts). --only small-near adds the near-topic set (an experiment,
 * not in a whole dump: docs/measurements.md) to such a copy; the abstention fits on it only when QUOTEBOT_WITH names it (training/fit_options.py).
 *
 * Sets (one group per question and index):
 *   squad-train        SQuAD train questions (every 3rd) over indexes of ~49 train articles (answerable): ranker training
 *   squad-train-own    every 30th over its own article alone (answerable), -other over another article (not),
 *   squad-train-far    and over another group of articles (not): abstention fitting
 *   squad-train-small  the abstention articles' questions over a window of their own paragraph and its neighbours,
 *                      20-60 sentences (answerable; training/small-corpora.ts), -other another article's (not),
 *                      (--only small-near: -near, the same article's answered outside it that name what it lacks)
 *   squad-dev, squad-dev-off   dev questions over all 48 dev articles (answerable) / over the odd ones (not)
 *   news, news-2020, news-2021 news questions over all weeks / over one year's weeks (answerable when the year is theirs)
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { refuseUsage, scriptOptions } from '../src/cli/args';
import { readDataFolder } from '../src/engine/corpus/articles';
import { loadEmbedder, type Embedder } from '../src/engine/encoders/embedder';
import { gatherCandidates } from '../src/engine/answer';
import { candidateFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../src/engine/ranking/features';
import { analyseQuestion } from '../src/engine/question/question';
import { loadCrossEncoder } from '../src/engine/encoders/cross-encoder';
import { fuse } from '../src/engine/ranking/ranking';
import { buildSearchIndex, type SearchIndex } from '../src/engine/retrieval/search-index';
import { isHit, parseQuestions, type EvalQuestion } from '../src/eval/scoring';
import { extendDump, writeFresh } from './extend-dump';
import { nearQuestions, otherArticle, sentenceCount, smallArticleText, smallCorpora, smallQuestions, type QuestionRef, type SquadParagraph } from './small-corpora';

export const SHORTLIST = 40;
const USAGE = 'usage: npx tsx training/dump-candidates.ts [--cross-encoder DIR] [--compare-cross-encoder DIR] [--out DIR (default /tmp/quotebot-dump)] [--only small|small-near]';
const SMALL_SETS = ['squad-train-small', 'squad-train-small-other'];
/** The sets each --only adds (and needs there); the near-topic set (measured, not shipped) is dumped only by --only small-near. */
const ONLY: Record<string, { sets: string[]; needs: string[] }> = {
  small: { sets: SMALL_SETS, needs: [] },
  'small-near': { sets: ['squad-train-small-near'], needs: SMALL_SETS },
};
const args = scriptOptions(
  process.argv.slice(2),
  {
    out: { type: 'string', default: '/tmp/quotebot-dump' },
    'cross-encoder': { type: 'string' },
    'compare-cross-encoder': { type: 'string' },
    reranker: { type: 'string' },
    only: { type: 'string' },
  },
  USAGE,
);
if (args.reranker) console.error('--reranker is deprecated: it is --cross-encoder DIR (the name the README and quotebot.json use)');
const crossEncoderDir = args['cross-encoder'] ?? args.reranker;
const compareDir = args['compare-cross-encoder'];
const out = args.out!;
const only = args.only;
/** A usage error before any work: one line and the usage, as scriptOptions refuses an unknown option. */
const refuse = (message: string): never => refuseUsage(message, USAGE);
if (compareDir && !crossEncoderDir) refuse('--compare-cross-encoder needs --cross-encoder (the model it is compared with)');
if (only !== undefined && !Object.hasOwn(ONLY, only)) refuse(`--only takes 'small' (the small-corpus sets) or 'small-near' (the near-topic one), not '${only}'`);
const adding = only ? ONLY[only].sets : SMALL_SETS;
if (only && compareDir) refuse('--only adds to OUT\'s own files: --compare-cross-encoder needs a whole dump');
// A whole dump overwrites OUT's files in place: in a `cp -al` copy (as --only is used, or QUOTEBOT_DUMP left set to
// one), or a dump copied so, that would overwrite the other copy too.
const linked = only ? undefined : ['features.f32', 'ce.f32', 'groups.jsonl', 'features.json'].find((f) => existsSync(path.join(out, f)) && statSync(path.join(out, f)).nlink > 1);
if (linked) refuse(`${out}/${linked} has other hard links (a cp -al copy, or a dump copied so): a whole dump would overwrite the other copy too; dump into a new folder`);
const shared = path.resolve(import.meta.dirname, '../../shared');
if (!existsSync(path.join(shared, 'train/squad-train.jsonl.gz'))) {
  console.error(`no ../shared beside the project (${shared}): nothing to dump`);
  process.exit(0);
}
const ROOT = path.resolve(import.meta.dirname, '..');
const scoredWith = (dir: string | undefined) => dir && path.relative(ROOT, path.resolve(dir));
const extension = only
  ? extendDump(out, { names: FEATURE_NAMES, count: FEATURE_COUNT, shortlist: SHORTLIST, crossEncoder: scoredWith(crossEncoderDir), ...ONLY[only] }, refuse)
  : null;
mkdirSync(out, { recursive: true });
const t0 = performance.now();
// --only writes its rows beside OUT's files first and appends them at the end (extension.append).
const written = (file: string) => extension?.adding(file) ?? path.join(out, file);
const crossEncoder = crossEncoderDir ? await loadCrossEncoder(crossEncoderDir) : null;
const ceFile = crossEncoder ? createWriteStream(written('ce.f32')) : null;
const compareEncoder = compareDir ? await loadCrossEncoder(compareDir) : null;
if (compareDir) mkdirSync(path.join(out, 'compare'), { recursive: true });
const compareFile = compareDir ? createWriteStream(path.join(out, 'compare', 'ce.f32')) : null;
extension?.unshare('cache'); // the embedding cache appends new vectors
const embedder = await loadEmbedder({ cacheDir: path.join(out, 'cache'), warn: console.error });

async function buildIndex(dir: string, files: string[], e: Embedder): Promise<SearchIndex> {
  const tmp = path.join(out, 'corpora', `${path.basename(dir)}-${files.length}-${files[0]}`.replace(/[^\w.-]/g, '_'));
  if (!existsSync(tmp)) {
    mkdirSync(tmp, { recursive: true });
    for (const f of files) symlinkSync(path.join(dir, f), path.join(tmp, f));
  }
  return buildSearchIndex((await readDataFolder(tmp)).articles, e);
}

const featureFile = createWriteStream(written('features.f32'));
const meta: string[] = [];
const stats = new Map<string, { groups: number; hit1: number; hit5: number; inList: number }>();

/** One question's shortlist over `index`: its feature rows, the cross-encoder's scores (with one) and its labels. */
async function shortlistRows(index: SearchIndex, q: EvalQuestion, answerable: boolean) {
  const question = analyseQuestion(index, q.question);
  const retrieval = await gatherCandidates(index, embedder, question);
  const shortlist = fuse(retrieval).slice(0, SHORTLIST).map((c) => ({ ...c, fused: c.score }));
  const features = candidateFeatures(index, retrieval, question, shortlist);
  const labels = shortlist.map((c) =>
    answerable && isHit(q, { quote: index.text(c.sentence), file: index.articles[index.articleOf(c.sentence)].file }) ? 1 : 0,
  );
  const sentences = shortlist.map((c) => index.text(c.sentence));
  const scores = crossEncoder ? await crossEncoder.score(question.text, sentences) : null;
  return { question, retrieval, sentences, features, scores, labels };
}

async function dump(set: string, index: SearchIndex, questions: EvalQuestion[], answerable: boolean, ids: string[], quiet = false) {
  const st = stats.get(set) ?? { groups: 0, hit1: 0, hit5: 0, inList: 0 };
  stats.set(set, st);
  for (let i = 0; i < questions.length; i++) {
    const { question, retrieval, sentences, features, scores, labels } = await shortlistRows(index, questions[i], answerable);
    featureFile.write(Buffer.from(features.buffer, features.byteOffset, features.byteLength));
    if (scores && ceFile) {
      ceFile.write(Buffer.from(scores.buffer, scores.byteOffset, scores.byteLength));
      if (compareEncoder && compareFile) {
        const other = await compareEncoder.score(question.text, sentences);
        compareFile.write(Buffer.from(other.buffer, other.byteOffset, other.byteLength));
      }
    }
    meta.push(JSON.stringify({ set, id: ids[i], answerable, corpus: retrieval.corpusSize, n: sentences.length, labels: labels.join('') }));
    st.groups++;
    const first = labels.indexOf(1);
    if (first === 0) st.hit1++;
    if (first >= 0 && first < 5) st.hit5++;
    if (first >= 0) st.inList++;
  }
  if (!quiet) report(set);
}

function report(set: string) {
  const st = stats.get(set)!;
  console.error(`${set}: ${st.groups} groups; fused R@1 ${(st.hit1 / st.groups).toFixed(3)} R@5 ${(st.hit5 / st.groups).toFixed(3)} in shortlist ${(st.inList / st.groups).toFixed(3)} (${Math.round((performance.now() - t0) / 1000)} s)`);
}

if (!only) {
  // SQuAD dev: answerable over all 48 articles, not answerable over the odd-numbered ones (questions are on even ones).
  const squad = path.join(shared, 'eval/squad');
  const squadFiles = readdirSync(path.join(squad, 'data')).sort();
  const squadQuestions = parseQuestions(readFileSync(path.join(squad, 'questions-dev.jsonl'), 'utf8'));
  const squadIds = squadQuestions.map((_, i) => `squad-dev#${i}`);
  await dump('squad-dev', await buildIndex(path.join(squad, 'data'), squadFiles, embedder), squadQuestions, true, squadIds);
  await dump('squad-dev-off', await buildIndex(path.join(squad, 'data'), squadFiles.filter((_, i) => i % 2 === 1), embedder), squadQuestions, false, squadIds);

  // News: all weeks, and each year's weeks asked both years' questions.
  const news = path.join(shared, 'eval/news');
  const newsFiles = readdirSync(path.join(news, 'data')).sort();
  const newsQuestions = parseQuestions(readFileSync(path.join(news, 'questions-dev.jsonl'), 'utf8'));
  const newsIds = newsQuestions.map((_, i) => `news#${i}`);
  await dump('news', await buildIndex(path.join(news, 'data'), newsFiles, embedder), newsQuestions, true, newsIds);
  for (const year of ['2020', '2021']) {
    const index = await buildIndex(path.join(news, 'data'), newsFiles.filter((f) => f.startsWith(year)), embedder);
    const own = newsQuestions.map((q, i) => i).filter((i) => newsQuestions[i].file!.startsWith(year));
    const other = newsQuestions.map((q, i) => i).filter((i) => !newsQuestions[i].file!.startsWith(year));
    await dump(`news-${year}-own`, index, own.map((i) => newsQuestions[i]), true, own.map((i) => newsIds[i]));
    await dump(`news-${year}-other`, index, other.map((i) => newsQuestions[i]), false, other.map((i) => newsIds[i]));
  }
  await embedder.flush();
}

// SQuAD train as article files (title line, blank line, paragraphs), grouped into indexes of ~49 articles.
const trainDir = path.join(out, 'squad-train');
const paragraphs: SquadParagraph[] = gunzipSync(readFileSync(path.join(shared, 'train/squad-train.jsonl.gz')))
  .toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const byTitle = new Map<string, SquadParagraph[]>();
for (const p of paragraphs) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p]);
const titles = [...byTitle.keys()].sort();
const fileOf = (title: string) => `${titles.indexOf(title).toString().padStart(3, '0')}-${title.replace(/[^\w-]+/g, '_').slice(0, 60)}.txt`;
// Articles whose sorted index % GROUPS < RANKER_GROUPS fit the ranker, the others the abstention (dump_rows.py).
const GROUPS = 9;
const RANKER_GROUPS = 6;
const trainQuestions = titles.map((t) =>
  byTitle.get(t)!.flatMap((p, pi) => p.qas.map((qa, qi) => ({ question: qa.question, gold: [qa.sentence], file: fileOf(t), id: `${t}#${pi}.${qi}` }))),
);
if (extension) await checkSameRows(extension);
else {
  mkdirSync(trainDir, { recursive: true });
  for (const t of titles) writeFileSync(path.join(trainDir, fileOf(t)), `${t.replace(/_/g, ' ')}\n\n${byTitle.get(t)!.map((p) => p.context).join('\n\n')}\n`);
  for (let g = 0; g < GROUPS; g++) {
    const members = titles.map((_, i) => i).filter((i) => i % GROUPS === g);
    const index = await buildIndex(trainDir, members.map((i) => fileOf(titles[i])), embedder);
    // Every question but those the far / own / other sets below ask (k % 30 of 1 and 2), so none of theirs is here: 2.8
    // times the third (k % 3 === 0) the rankers fitted on before, SQuAD dev answered R@1 +0.004 (docs/measurements.md).
    // The small corpora's questions are chosen by paragraph, not k: most are here too, in the stage's articles.
    const qs = members.flatMap((i) => trainQuestions[i].filter((_, k) => k % 30 !== 1 && k % 30 !== 2));
    await dump('squad-train', index, qs, true, qs.map((q) => q.id));
    // The same group's index asked another group's questions: none of them is answerable here.
    const far = titles.map((_, i) => i).filter((i) => i % GROUPS === (g + 1) % GROUPS).flatMap((i) => trainQuestions[i].filter((_, k) => k % 30 === 1));
    await dump('squad-train-far', index, far, false, far.map((q) => q.id));
  }
  for (let i = 0; i < titles.length; i++) {
    const qs = trainQuestions[i].filter((_, k) => k % 30 === 2);
    if (qs.length === 0) continue;
    await dump('squad-train-own', await buildIndex(trainDir, [fileOf(titles[i])], embedder), qs, true, qs.map((q) => q.id));
    const other = trainQuestions[(i + 7) % titles.length].filter((_, k) => k % 30 === 2);
    await dump('squad-train-other', await buildIndex(trainDir, [fileOf(titles[i])], embedder), other, false, other.map((q) => q.id));
  }
}

// Small corpora (training/small-corpora.ts), from the abstention's articles only, each window its own article file;
// the not-answerable questions come from another abstention article of an unrelated title (otherArticle).
const smallDir = path.join(out, 'squad-small');
mkdirSync(smallDir, { recursive: true });
const abstentionTitles = titles.filter((_, i) => i % GROUPS >= RANKER_GROUPS);
for (const [a, t] of abstentionTitles.entries()) {
  const article = byTitle.get(t)!;
  const windows = smallCorpora(article.map((p) => sentenceCount(p.context)), a);
  for (const [w, window] of windows.entries()) {
    const file = fileOf(t).replace(/\.txt$/, `-p${window.centre}.txt`);
    writeFresh(path.join(smallDir, file), smallArticleText(article, window));
    const index = await buildIndex(smallDir, [file], embedder);
    const otherTitle = abstentionTitles[otherArticle(abstentionTitles, a, w)];
    const asked = smallQuestions(article, window, byTitle.get(otherTitle)!);
    const questions = (from: string, refs: QuestionRef[], gold: string) =>
      refs.map(({ paragraph, question }) => {
        const qa = byTitle.get(from)![paragraph].qas[question];
        return { question: qa.question, gold: [qa.sentence], file: gold, id: `${from}#${paragraph}.${question}` };
      });
    // Each set's questions are chosen only when it is dumped: a whole dump never computes the near-topic set.
    for (const [set, asking, answerable] of [
      ['squad-train-small', () => questions(t, asked.own, file), true],
      ['squad-train-small-other', () => questions(otherTitle, asked.other, fileOf(otherTitle)), false],
      ['squad-train-small-near', () => questions(t, nearQuestions(article, window), file), false],
    ] as const) {
      if (!adding.includes(set)) continue;
      const qs = asking();
      await dump(set, index, qs, answerable, qs.map((q) => q.id), true);
    }
  }
}
for (const set of adding) report(set);
await embedder.flush();

await new Promise((resolve) => featureFile.end(resolve));
if (ceFile) await new Promise((resolve) => ceFile.end(resolve));
if (compareFile) await new Promise((resolve) => compareFile.end(resolve));
if (extension) {
  extension.append(meta);
} else {
  writeFileSync(path.join(out, 'groups.jsonl'), meta.join('\n') + '\n');
  // The cross-encoder's folder relative to the project, so train_ce_stage.py names in quotebot.json the one it scored with.
  const describe = (dir: string, scorer: string | undefined) =>
    writeFileSync(
      path.join(dir, 'features.json'),
      JSON.stringify({ names: FEATURE_NAMES, count: FEATURE_COUNT, shortlist: SHORTLIST, crossEncoder: scoredWith(scorer) }),
    );
  describe(out, crossEncoderDir);
  if (compareDir) {
    describe(path.join(out, 'compare'), compareDir);
    for (const f of ['features.f32', 'groups.jsonl']) if (!existsSync(path.join(out, 'compare', f))) symlinkSync(path.join('..', f), path.join(out, 'compare', f));
  }
}
console.error(`done in ${Math.round((performance.now() - t0) / 1000)} s: ${meta.length} groups ${only ? 'added to' : 'in'} ${out}`);

/** --only: OUT's first squad-train-own question again, with this code and this cross-encoder, gives the rows OUT holds. */
async function checkSameRows(dump: NonNullable<typeof extension>) {
  const [title, place] = dump.checked?.id.split('#') ?? [];
  if (!title || !existsSync(path.join(trainDir, fileOf(title)))) dump.refuse(`${out} holds no squad-train-own question over ${trainDir} to check it against`);
  const [p, k] = place.split('.').map(Number);
  const qa = byTitle.get(title)![p].qas[k];
  const rows = await shortlistRows(await buildIndex(trainDir, [fileOf(title)], embedder), { question: qa.question, gold: [qa.sentence], file: fileOf(title) }, true);
  dump.checkRows(rows, crossEncoderDir);
}
