/**
 * Renders a message payload the bot actually sent (JSON, as recorded by the e2e test's fake Discord) as an HTML
 * page that mimics Discord's dark theme, and screenshots it with headless Chromium. There is no real Discord
 * server here, so this is how docs/answer-embed.png is made:
 *
 *   SAVE_ANSWER_PAYLOAD=docs/answer-payload.json npx vitest run test/bot.e2e.test.ts
 *   npx tsx docs/render-embed.ts docs/answer-payload.json docs/answer-embed.png
 *
 * Only the Markdown the bot emits is supported: `> ` block quotes, **bold**, *italic*, [links](url), \escapes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Embed {
  color?: number;
  title?: string;
  url?: string;
  author?: { name: string };
  description?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string };
}
interface Payload {
  content?: string;
  embeds?: Embed[];
  components?: Array<{ components: Array<{ label?: string }> }>;
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Discord-flavoured inline Markdown to HTML (escapes first, so escaped characters stay literal). */
function inline(text: string): string {
  const escaped: string[] = [];
  let s = text.replace(/\\(.)/g, (_m, c: string) => `\u0000${escaped.push(c) - 1}\u0000`);
  s = html(s);
  s = s.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
  s = s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/\*(.+?)\*/g, '<em>$1</em>');
  s = s.replace(/`([^`]+)`/g, '<code>$1</code>');
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => html(escaped[Number(i)]));
}

function block(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('> ')) out.push(`<div class="quote">${inline(line.slice(2))}</div>`);
    else if (line.trim() === '') out.push('<div class="gap"></div>');
    else out.push(`<div>${inline(line)}</div>`);
  }
  return out.join('');
}

function embed(e: Embed): string {
  const color = `#${(e.color ?? 0x202225).toString(16).padStart(6, '0')}`;
  const title = e.title ? (e.url ? `<a class="title" href="${html(e.url)}">${inline(e.title)}</a>` : `<div class="title plain">${inline(e.title)}</div>`) : '';
  const fields = (e.fields ?? []).map((f) => `<div class="field${f.inline ? ' inline' : ''}"><div class="fname">${inline(f.name)}</div><div>${block(f.value)}</div></div>`).join('');
  return `<div class="embed" style="border-left-color:${color}">
    ${e.author ? `<div class="author">${inline(e.author.name)}</div>` : ''}
    ${title}
    ${e.description ? `<div class="desc">${block(e.description)}</div>` : ''}
    ${fields ? `<div class="fields">${fields}</div>` : ''}
    ${e.footer ? `<div class="footer">${html(e.footer.text)}</div>` : ''}
  </div>`;
}

export function renderPage(payload: Payload): string {
  const buttons = (payload.components ?? []).flatMap((r) => r.components).map((c) => `<span class="button">${html(c.label ?? '')}</span>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #313338; font-family: "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; color: #dbdee1; font-size: 15px; line-height: 1.375; }
  .msg { display: flex; padding: 16px 24px 20px 16px; width: 760px; }
  .avatar { width: 40px; height: 40px; border-radius: 50%; background: #5865f2; color: white; font-weight: 700; display: flex; align-items: center; justify-content: center; margin-right: 16px; flex: none; }
  .name { color: #f2f3f5; font-weight: 600; } .tag { background: #5865f2; color: #fff; font-size: 10px; border-radius: 3px; padding: 1px 4px; margin-left: 4px; vertical-align: 2px; font-weight: 600; }
  .time { color: #949ba4; font-size: 12px; margin-left: 6px; }
  .content { margin: 2px 0 4px; }
  .embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 16px 12px; margin-top: 8px; max-width: 520px; }
  .author { font-size: 14px; font-weight: 600; color: #f2f3f5; margin-top: 8px; }
  .title { display: block; font-weight: 600; font-size: 16px; margin-top: 8px; color: #00a8fc; text-decoration: none; } .title.plain { color: #f2f3f5; }
  .desc { font-size: 14px; margin-top: 8px; } .gap { height: 8px; }
  .quote { border-left: 4px solid #4e5058; padding: 0 8px 0 12px; border-radius: 2px; }
  strong { color: #f2f3f5; } a { color: #00a8fc; text-decoration: none; } code { background: #1e1f22; padding: 0 3px; border-radius: 3px; font-size: 13px; }
  .fields { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-top: 8px; font-size: 14px; } .field { flex: 1 1 100%; } .field.inline { flex: 1 1 28%; } .fname { font-weight: 600; color: #f2f3f5; }
  .footer { font-size: 12px; color: #b5bac1; margin-top: 8px; }
  .button { display: inline-block; background: #4e5058; color: #fff; border-radius: 3px; padding: 4px 16px; font-size: 14px; font-weight: 500; margin-top: 8px; }
  </style></head><body><div class="msg"><div class="avatar">Q</div><div>
  <div><span class="name">QuoteBot</span><span class="tag">APP</span><span class="time">Today at 14:05</span></div>
  ${payload.content ? `<div class="content">${block(payload.content)}</div>` : ''}
  ${(payload.embeds ?? []).map(embed).join('')}
  ${buttons ? `<div>${buttons}</div>` : ''}
  </div></div></body></html>`;
}

function main() {
  const [input = 'docs/answer-payload.json', output = 'docs/answer-embed.png'] = process.argv.slice(2);
  const payload = JSON.parse(readFileSync(input, 'utf8')) as Payload;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embed-'));
  const page = path.join(dir, 'embed.html');
  writeFileSync(page, renderPage(payload));
  const height = 180 + (payload.embeds ?? []).reduce((n, e) => n + 90 + Math.ceil((e.description?.length ?? 0) / 70) * 20, 0);
  try {
    execFileSync(
      process.env.CHROMIUM ?? 'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--window-size=800,${height}`,
        `--screenshot=${path.resolve(output)}`,
        `file://${page}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`wrote ${output}\n`);
}

main();
