/**
 * Which screen the page shows lives in the URL's hash (`#/sources`), so Back moves between screens, a link
 * opens the right one, and the search screen keeps its own `?q=&range=` untouched beside it.
 */
export type Route =
  | { screen: 'search' }
  | { screen: 'investigations'; name?: string }
  /** `name`: one source's detail (`edit`: its edit form); `add`: the form that adds a source. */
  | { screen: 'sources'; name?: string; edit?: boolean; add?: boolean }
  | { screen: 'schedule' };

export type ScreenName = Route['screen'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'investigations':
      // Investigations are keyed by name (unique ignoring case), like sources.
      return parts[1] ? { screen: 'investigations', name: parts[1] } : { screen: 'investigations' };
    case 'sources':
      // `+new` cannot be a source's name (names start with a letter or a digit).
      if (parts[1] === '+new') return { screen: 'sources', add: true };
      if (parts[1] && parts[2] === 'edit') return { screen: 'sources', name: parts[1], edit: true };
      return parts[1] ? { screen: 'sources', name: parts[1] } : { screen: 'sources' };
    case 'schedule':
      return { screen: 'schedule' };
    default:
      return { screen: 'search' };
  }
}

export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'search':
      return '#/';
    case 'investigations':
      return route.name ? `#/investigations/${encodeURIComponent(route.name)}` : '#/investigations';
    case 'sources':
      if (route.add) return '#/sources/+new';
      if (route.name) return `#/sources/${encodeURIComponent(route.name)}${route.edit ? '/edit' : ''}`;
      return '#/sources';
    case 'schedule':
      return '#/schedule';
  }
}

/** Moves to a screen, keeping the search's query string (so returning to search restores the query). */
export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}
