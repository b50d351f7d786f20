/**
 * Which screen the page shows lives in the URL's hash (`#/sources`), so Back moves between screens, a link
 * opens the right one, and the search screen keeps its own `?q=&range=` untouched beside it.
 */
export type Route =
  | { screen: 'search' }
  | { screen: 'investigations'; name?: string }
  | { screen: 'sources'; name?: string }
  | { screen: 'schedule' };

export type ScreenName = Route['screen'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'investigations':
      // Investigations are keyed by name (unique ignoring case), like sources.
      return parts[1] ? { screen: 'investigations', name: parts[1] } : { screen: 'investigations' };
    case 'sources':
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
      return route.name ? `#/sources/${encodeURIComponent(route.name)}` : '#/sources';
    case 'schedule':
      return '#/schedule';
  }
}

/** Moves to a screen, keeping the search's query string (so returning to search restores the query). */
export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}
