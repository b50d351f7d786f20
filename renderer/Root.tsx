/** The page's root: picks the transport once, then shows the search screen (or why it cannot). */
import { useState } from 'react';
import { pickClient, type ClientHost } from './api/pickClient.ts';
import { SearchScreen } from './screens/SearchScreen.tsx';

export function Root({ host }: { host: ClientHost }) {
  const [client] = useState(() => pickClient(host));
  if (typeof client === 'string')
    return (
      <div className="state state--error" role="alert">
        <h1>Not connected</h1>
        <p>{client}</p>
      </div>
    );
  return <SearchScreen client={client} />;
}
