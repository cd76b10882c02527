/**
 * A fake Discord on 127.0.0.1 for end-to-end tests: just enough REST (gateway info, interaction callbacks, webhook
 * messages that can expire, direct and channel messages, command registration) and gateway (HELLO, READY, heartbeats, dispatches) for a real
 * discord.js Client to log in and answer interactions. Every HTTP call the bot makes is recorded.
 *
 * Sharding, as Discord does it: `GET /gateway/bot` recommends `shards` connections, each connection IDENTIFYs with
 * `[shard_id, shard_count]`, gets the guilds of its shard (`(guild_id >> 22) % shard_count`) and only their events.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_ID, CHANNEL_ID, OTHER_APP_ID, guildPayload, interactionPayload, messagePayload, snowflake, type FakeMember } from './fake-discord-payloads';

export { APP_ID, CHANNEL_ID, OTHER_APP_ID, type FakeMember } from './fake-discord-payloads';
export const GUILD_ID = '900000000000000002';
/** A second server, on the other shard of two from GUILD_ID ((id >> 22) % 2 is 0 here, 1 for GUILD_ID). */
export const OTHER_GUILD_ID = '900000000004194306';

/** The shard a guild's events go to, by Discord's rule. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export interface FakeDiscordOptions {
  /** The bot token this Discord accepts; any other gets HTTP 401 like Discord's (any `Bot …` when unset). */
  token?: string;
  /** Shards `GET /gateway/bot` recommends (default 1). */
  shards?: number;
  /** Servers the bot is in, announced to their shard with GUILD_CREATE after READY (default none). */
  guilds?: string[];
  /** Roles every server has besides @everyone (GUILD_CREATE carries them, so discord.js resolves members' roles). */
  roles?: string[];
}

export interface RecordedCall {
  method: string;
  /** Path as received (still URL-encoded, e.g. `%40original`). */
  path: string;
  /** Decoded path without the query. */
  route: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: any;
  at: number;
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  private server = http.createServer((req, res) => this.onHttp(req, res));
  private wss = new WebSocketServer({ server: this.server, path: '/gateway' });
  private sockets = new Set<WebSocket>();
  /** Each connection's `[shard_id, shard_count]` from its IDENTIFY. */
  private shardOfSocket = new Map<WebSocket, [number, number]>();
  /** Every IDENTIFY's shard, in arrival order. */
  readonly identifies: Array<[number, number]> = [];
  private readonly token?: string;
  private readonly recommendedShards: number;
  private readonly guilds: string[];
  private readonly roles: string[];
  private seq = 0;
  private waiters: Array<() => void> = [];
  /** While true, a new gateway connection gets no HELLO (its client stays logging in) until `releaseHello()`. */
  holdHello = false;
  private helloHeld: WebSocket[] = [];
  /** Every closed gateway connection: its shard (null before IDENTIFY) and close code (1000: the client logged out). */
  readonly gatewayCloses: Array<{ shard: [number, number] | null; code: number }> = [];
  identified = false;
  port = 0;
  /** As Discord after an interaction token's 15 minutes: its webhook calls fail (50027) this long after it was sent (null: never). */
  webhookLifetimeMs: number | null = null;
  /** Members who take no direct message from the bot (Discord's answer: `dmRefusal`), and whether it may not post in CHANNEL_ID (50013). */
  readonly dmsClosedTo = new Set<string>();
  dmRefusal = { status: 403, message: 'Cannot send messages to this user', code: 50007 };
  channelClosed = false;
  /** While true, the bot's messages in CHANNEL_ID are gone, as if someone deleted them (an edit gets 10008 Unknown Message). */
  channelMessagesDeleted = false;
  readonly dmChannels = new Map<string, string>(); // each member's direct messages with the bot, once it opened them
  private readonly acknowledged = new Set<string>(); // interaction ids answered

  /** @param options a token string is `{ token }` */
  constructor(options: string | FakeDiscordOptions = {}) {
    const o = typeof options === 'string' ? { token: options } : options;
    this.token = o.token;
    this.recommendedShards = o.shards ?? 1;
    this.guilds = o.guilds ?? [];
    this.roles = o.roles ?? [];
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Gateway

  private send(ws: WebSocket, payload: object) {
    ws.send(JSON.stringify(payload));
  }

  private onSocket(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on('close', (code) => {
      this.gatewayCloses.push({ shard: this.shardOfSocket.get(ws) ?? null, code });
      this.sockets.delete(ws);
      this.shardOfSocket.delete(ws);
    });
    if (this.holdHello) this.helloHeld.push(ws);
    else this.hello(ws);
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: any };
      if (msg.op === 1) this.send(ws, { op: 11, d: null, s: null, t: null });
      else if (msg.op === 2) {
        this.identified = true;
        const shard: [number, number] = Array.isArray(msg.d?.shard) ? [msg.d.shard[0], msg.d.shard[1]] : [0, 1];
        this.identifies.push(shard);
        this.shardOfSocket.set(ws, shard);
        const guilds = this.guilds.filter((g) => shardOf(g, shard[1]) === shard[0]);
        this.send(ws, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: { id: APP_ID, username: 'QuoteBot', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
            guilds: guilds.map((id) => ({ id, unavailable: true })),
            session_id: `fake-session-${shard[0]}`,
            resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
            application: { id: APP_ID, flags: 0 },
            shard,
          },
        });
        for (const id of guilds) this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guildPayload(id, this.roles) });
      }
    });
  }

  private hello(ws: WebSocket) {
    this.send(ws, { op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
  }

  /** Connections waiting for their HELLO (see `holdHello`). */
  get helloHeldCount(): number {
    return this.helloHeld.filter((ws) => this.sockets.has(ws)).length;
  }

  /** Sends the held connections their HELLO; connections opened later are held while `holdHello` stays true. */
  releaseHello(): void {
    for (const ws of this.helloHeld.splice(0)) if (this.sockets.has(ws)) this.hello(ws);
  }

  /** Closes every gateway connection abnormally, as a Discord outage does (discord.js reconnects). */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Sends a gateway dispatch to every connected client, or for a guild's event only to that guild's shard. */
  dispatch(t: string, d: object, guildId?: string): void {
    const s = ++this.seq;
    for (const ws of this.sockets) {
      const shard = this.shardOfSocket.get(ws);
      if (guildId && shard && shardOf(guildId, shard[1]) !== shard[0]) continue;
      this.send(ws, { op: 0, t, s, d });
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // REST

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = raw;
      if (raw && String(req.headers['content-type']).includes('application/json')) body = JSON.parse(raw);
      const [path, route, query] = [url.pathname, decodeURIComponent(url.pathname), url.searchParams];
      const call: RecordedCall = { method: req.method ?? 'GET', path, route, query, headers: req.headers, body, at: Date.now() };
      this.calls.push(call);
      this.answer(call, res);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private json(res: http.ServerResponse, status: number, data: unknown) {
    const text = JSON.stringify(data);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private noContent(res: http.ServerResponse) {
    // Like Discord: a 204 carries no body and no JSON content type.
    res.writeHead(204);
    res.end();
  }

  private answer(call: RecordedCall, res: http.ServerResponse) {
    const r = call.route;
    const auth = String(call.headers.authorization ?? '');
    const authorised = this.token === undefined ? auth.startsWith('Bot ') : auth === `Bot ${this.token}`;
    if (!authorised && !r.includes('/interactions/') && !r.startsWith('/api/v10/webhooks/')) {
      return this.json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    let m: RegExpMatchArray | null;
    if (call.method === 'GET' && r === '/api/v10/gateway/bot') {
      return this.json(res, 200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if (call.method === 'POST' && (m = r.match(/^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      // As Discord: an interaction is answered once; a second bot logged in with the token answers too, and is refused.
      if (this.acknowledged.size === this.acknowledged.add(m[1]).size) return this.json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      if (call.query.get('with_response') === 'true') {
        return this.json(res, 200, { interaction: { id: m[1], type: 2 }, resource: { type: call.body?.type, message: messagePayload(call.body?.data, m[2]) } });
      }
      return this.noContent(res);
    }
    if ((m = r.match(/^\/api\/v10\/webhooks\/\d+\/([^/]+)/)) && this.webhookLifetimeMs !== null && call.at - (this.sentAt.get(m[1]) ?? call.at) > this.webhookLifetimeMs) {
      return this.json(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
    }
    if (call.method === 'POST' && r === '/api/v10/users/@me/channels') {
      const id = this.dmChannels.get(call.body.recipient_id) ?? snowflake();
      this.dmChannels.set(call.body.recipient_id, id);
      return this.json(res, 200, { id, type: 1, recipients: [{ id: call.body.recipient_id, username: 'member', discriminator: '0', avatar: null }] });
    }
    if ((m = r.match(/^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/))) {
      const dmClosed = [...this.dmsClosedTo].some((member) => this.dmChannels.get(member) === m![1]);
      if (dmClosed) return this.json(res, this.dmRefusal.status, { message: this.dmRefusal.message, code: this.dmRefusal.code });
      if (m[1] === CHANNEL_ID && this.channelClosed) return this.json(res, 403, { message: 'Missing Permissions', code: 50013 });
      if (m[1] === CHANNEL_ID && m[2] && this.channelMessagesDeleted) return this.json(res, 404, { message: 'Unknown Message', code: 10008 });
      if ((call.method === 'POST' && !m[2]) || (call.method === 'PATCH' && m[2])) return this.json(res, 200, messagePayload(call.body, null, m[1]));
      if (call.method === 'DELETE' && m[2]) return this.noContent(res);
    }
    if ((m = r.match(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/))) {
      if (call.method === 'DELETE') return this.noContent(res);
      if (call.method === 'PATCH' || call.method === 'GET') return this.json(res, 200, messagePayload(call.body, m[2]));
    }
    if (call.method === 'POST' && (m = r.match(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)$/))) {
      return this.json(res, 200, messagePayload(call.body, m[2]));
    }
    if (call.method === 'PUT' && (m = r.match(/^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      // Discord's answers to another application's id, to no application's (a server's), and to a server the bot is not in (or was invited to without applications.commands).
      if (m[1] === OTHER_APP_ID) return this.json(res, 403, { message: 'You are not authorized to perform this action on this application', code: 20012 });
      if (m[1] !== APP_ID) return this.json(res, 404, { message: 'Unknown Application', code: 10002 });
      if (m[2] && ![GUILD_ID, OTHER_GUILD_ID, ...this.guilds].includes(m[2])) return this.json(res, 403, { message: 'Missing Access', code: 50001 });
      return this.json(res, 200, (call.body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: APP_ID, version: snowflake() })));
    }
    return this.json(res, 404, { message: '404: Not Found', code: 0 });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Test helpers

  /** Calls made for one interaction (by its token): callbacks and webhook messages. */
  callsFor(token: string): RecordedCall[] {
    return this.calls.filter((c) => c.route.includes(`/${token}/`) || c.route.endsWith(`/${token}`));
  }

  /** Waits until `predicate` holds for the recorded calls (checked on each new call), or fails after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; calls so far:\n${this.calls.map((c) => `${c.method} ${c.route}`).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for calls of one interaction until `done(calls)` holds; returns them. */
  waitForInteraction(token: string, done: (calls: RecordedCall[]) => boolean, timeoutMs = 10_000): Promise<RecordedCall[]> {
    return this.waitFor(() => {
      const calls = this.callsFor(token);
      return done(calls) ? calls : undefined;
    }, timeoutMs, `interaction ${token}`);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Interactions

  private tokenCounter = 0;
  /** The token of every interaction sent (commands, autocompletes, buttons), in order. */
  readonly interactionTokens: string[] = [];
  private sentAt = new Map<string, number>(); // by token: its webhook's lifetime counts from then
  private nextToken(kind: string): string {
    const token = `tok-${kind}-${++this.tokenCounter}-${Math.random().toString(36).slice(2, 10)}`;
    this.interactionTokens.push(token);
    this.sentAt.set(token, Date.now());
    return token;
  }

  /**
   * Sends a slash command (to the shard of `guildId`); returns the interaction token to look its calls up with.
   * `resolved` carries what options refer to, as Discord sends it (`{ attachments: { [id]: { id, filename, size, url, … } } }`).
   */
  command(
    name: string,
    options: Array<{ name: string; type: number; value?: unknown; options?: unknown[] }>,
    member: FakeMember,
    resolved?: object,
    guildId = GUILD_ID,
  ): string {
    const token = this.nextToken(name);
    this.dispatch(
      'INTERACTION_CREATE',
      { ...interactionPayload(member, token, guildId), type: 2, data: { id: snowflake(), name, type: 1, options, guild_id: guildId, ...(resolved ? { resolved } : {}) } },
      guildId,
    );
    return token;
  }

  autocomplete(name: string, options: Array<{ name: string; type: number; value: unknown; focused?: boolean }>, member: FakeMember): string {
    const token = this.nextToken(`${name}-ac`);
    const data = { id: snowflake(), name, type: 1, options, guild_id: GUILD_ID };
    this.dispatch('INTERACTION_CREATE', { ...interactionPayload(member, token, GUILD_ID), type: 4, data });
    return token;
  }

  button(customId: string, message: { content?: string; embeds?: unknown[]; components?: unknown[] }, member: FakeMember): string {
    const token = this.nextToken('button');
    const data = { custom_id: customId, component_type: 2 };
    this.dispatch('INTERACTION_CREATE', { ...interactionPayload(member, token, GUILD_ID), type: 3, data, message: messagePayload(message, token) });
    return token;
  }
}
