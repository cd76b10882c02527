/**
 * Discord's message limits, and a checker that lists every way a reply breaks them. Renderers cut their text to
 * these numbers; tests run every rendering through `limitViolations`.
 */
import type { APIEmbed } from 'discord.js';
import type { Reply } from './reply';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedAuthor: 256,
  embedFooter: 2048,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  embedsTotal: 6000,
  customId: 100,
  /** Autocomplete: at most this many choices, each name and value at most 100 characters. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Size of an embed as Discord counts it toward the 6,000-character message total. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Every way a reply breaks Discord's limits (empty when it is fine).
 * @example limitViolations({ content: 'x'.repeat(2001) }) // ['content 2001 > 2000']
 */
export function limitViolations(reply: Reply): string[] {
  const v: string[] = [];
  if ((reply.content?.length ?? 0) > LIMITS.content) v.push(`content ${reply.content!.length} > ${LIMITS.content}`);
  const embeds = reply.embeds ?? [];
  if (embeds.length > LIMITS.embeds) v.push(`${embeds.length} embeds > ${LIMITS.embeds}`);
  let total = 0;
  embeds.forEach((e, i) => {
    total += embedLength(e);
    if ((e.title?.length ?? 0) > LIMITS.embedTitle) v.push(`embed ${i} title too long`);
    if ((e.description?.length ?? 0) > LIMITS.embedDescription) v.push(`embed ${i} description ${e.description!.length} > ${LIMITS.embedDescription}`);
    if ((e.footer?.text.length ?? 0) > LIMITS.embedFooter) v.push(`embed ${i} footer too long`);
    if ((e.author?.name.length ?? 0) > LIMITS.embedAuthor) v.push(`embed ${i} author too long`);
    if ((e.fields?.length ?? 0) > LIMITS.fields) v.push(`embed ${i} has too many fields`);
    for (const f of e.fields ?? []) {
      if (f.name.length > LIMITS.fieldName || f.name.length === 0) v.push(`embed ${i} field name length ${f.name.length}`);
      if (f.value.length > LIMITS.fieldValue || f.value.length === 0) v.push(`embed ${i} field value length ${f.value.length}`);
    }
  });
  if (total > LIMITS.embedsTotal) v.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  for (const row of reply.components ?? []) {
    for (const c of row.components) {
      if ('custom_id' in c && c.custom_id.length > LIMITS.customId) v.push(`custom_id ${c.custom_id.length} > ${LIMITS.customId}`);
    }
  }
  return v;
}
