import { describe, expect, it } from 'vitest';
import { workerEnv } from './workers';

// A Windows environment as Node shows it: names as Windows writes them, not in capitals.
const WINDOWS = {
  Path: 'C:\\Windows\\system32;C:\\Program Files\\nodejs\\',
  PATHEXT: '.COM;.EXE;.BAT;.CMD',
  SystemRoot: 'C:\\Windows',
  SystemDrive: 'C:',
  windir: 'C:\\Windows',
  ComSpec: 'C:\\Windows\\system32\\cmd.exe',
  USERPROFILE: 'C:\\Users\\ana',
  APPDATA: 'C:\\Users\\ana\\AppData\\Roaming',
  LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local',
  TEMP: 'C:\\Users\\ana\\AppData\\Local\\Temp',
  Tmp: 'C:\\Users\\ana\\AppData\\Local\\Temp',
  DISCORD_TOKEN: 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefake',
  discord_token: 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefake',
  MODERATOR_ROLE_IDS: '42',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

describe('workerEnv', () => {
  it('keeps on Windows what a node start there needs, whatever the case of the names, and no secret', () => {
    const kept = workerEnv(WINDOWS, 'win32');
    const { DISCORD_TOKEN, discord_token, MODERATOR_ROLE_IDS, AWS_SECRET_ACCESS_KEY, ...needed } = WINDOWS;
    expect(kept).toEqual(needed);
  });

  it('matches names exactly elsewhere, where case tells two variables apart', () => {
    const env = { PATH: '/usr/bin', HOME: '/home/ana', Path: '/tmp/other', LANG: 'C.UTF-8', SystemRoot: 'x', DISCORD_TOKEN: 't', TSX_DISABLE_CACHE: '1' };
    expect(workerEnv(env, 'linux')).toEqual({ PATH: '/usr/bin', HOME: '/home/ana', LANG: 'C.UTF-8', TSX_DISABLE_CACHE: '1' });
  });
});
