/** The page's root: picks the transport once, then shows the screen the URL's hash names (or why it cannot). */
import { useState } from 'react';
import { pickClient, type ClientHost } from './api/pickClient.ts';
import type { AuditClient } from './api/types.ts';
import { NavRail } from './components/NavRail.tsx';
import { useFailingSources } from './hooks/useFailingSources.ts';
import { useRoute } from './hooks/useRoute.ts';
import { InvestigationsScreen } from './screens/InvestigationsScreen.tsx';
import { ScheduleScreen } from './screens/ScheduleScreen.tsx';
import { SearchScreen } from './screens/SearchScreen.tsx';
import { SourcesScreen } from './screens/SourcesScreen.tsx';

export function Root({ host }: { host: ClientHost }) {
  const [client] = useState(() => pickClient(host));
  if (typeof client === 'string')
    return (
      <div className="state state--error" role="alert">
        <h1>Not connected</h1>
        <p>{client}</p>
      </div>
    );
  return <Screens client={client} />;
}

function Screens({ client }: { client: AuditClient }) {
  const route = useRoute();
  const failing = useFailingSources(client);
  return (
    <div className="shell">
      <NavRail
        current={route.screen}
        badges={failing > 0 ? { sources: `${failing} source${failing === 1 ? ' is' : 's are'} failing` } : {}}
      />
      {route.screen === 'search' && <SearchScreen client={client} />}
      {route.screen === 'investigations' && <InvestigationsScreen client={client} />}
      {route.screen === 'sources' && <SourcesScreen client={client} />}
      {route.screen === 'schedule' && <ScheduleScreen client={client} />}
    </div>
  );
}
