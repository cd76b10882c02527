import { describe, expect, it } from 'vitest';
import { sourcesQuery } from './index';

describe('sourcesQuery', () => {
  it('passes the page and find on as the client sent them', () => {
    expect(sourcesQuery({})).toEqual({});
    expect(sourcesQuery({ page: 3, find: 'putin obama' })).toEqual({ page: 3, find: 'putin obama' });
  });

  it('turns a page of another type into NaN, for the renderer to refuse, and ignores a find of another type', () => {
    expect(sourcesQuery({ page: '2', find: 7 })).toEqual({ page: NaN });
    expect(sourcesQuery({ page: true })).toEqual({ page: NaN });
  });
});
