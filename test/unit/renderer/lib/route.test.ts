// The sources screen's routes: the list, the add form, a source, its edit form; each hash round-trips.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../../../renderer/lib/route.ts';

describe('sources routes', () => {
  it.each<[string, Route]>([
    ['#/sources', { screen: 'sources' }],
    ['#/sources/+new', { screen: 'sources', add: true }],
    ['#/sources/prod-s3', { screen: 'sources', name: 'prod-s3' }],
    ['#/sources/prod-s3/edit', { screen: 'sources', name: 'prod-s3', edit: true }],
    ['#/sources/a%20b', { screen: 'sources', name: 'a b' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(routeHash(route)).toBe(hash);
  });
});
