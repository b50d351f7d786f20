/**
 * The narrow bar on the left that moves between the screens (VS Code's activity bar): search is where an
 * auditor lives, the others are visited. Icons carry a word beneath them so nothing relies on the icon.
 */
import type { ScreenName } from '../lib/route.ts';
import { routeHash } from '../lib/route.ts';

const ITEMS: { screen: ScreenName; label: string; icon: string; title: string }[] = [
  { screen: 'search', label: 'Search', icon: '⌕', title: 'Search events' },
  {
    screen: 'investigations',
    label: 'Cases',
    icon: '⚑',
    title: 'Investigations: saved searches, pinned events, notes',
  },
  {
    screen: 'sources',
    label: 'Sources',
    icon: '⇅',
    title: 'Sources: buckets and folders, sync status and history',
  },
  { screen: 'schedule', label: 'Schedule', icon: '◷', title: 'Schedule & retention' },
];

export function NavRail({
  current,
  badges = {},
}: {
  current: ScreenName;
  badges?: Partial<Record<ScreenName, string>>;
}) {
  return (
    <nav className="rail" aria-label="Screens">
      {ITEMS.map((item) => (
        <a
          key={item.screen}
          href={routeHash({ screen: item.screen })}
          className={`rail__item${current === item.screen ? ' rail__item--current' : ''}`}
          aria-current={current === item.screen ? 'page' : undefined}
          title={item.title}
          data-testid={`nav-${item.screen}`}
        >
          <span className="rail__icon" aria-hidden="true">
            {item.icon}
          </span>
          <span className="rail__label">{item.label}</span>
          {badges[item.screen] && (
            <span className="rail__badge" role="status" aria-label={badges[item.screen]}>
              !
            </span>
          )}
        </a>
      ))}
    </nav>
  );
}
