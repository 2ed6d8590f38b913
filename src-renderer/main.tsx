import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TransportContext } from './api/hooks';
import { desktopTransport } from './api/desktop-transport';
import { httpTransport } from './api/transport';
import { App } from './app/App';
import './styles.css';

/**
 * The desktop app's preload transport when there is one, else browser mode: the page came from
 * `tppw serve` with ?token=…, which the server turned into a cookie; the token leaves the address
 * bar (and the history) before anything else happens.
 */
if (new URLSearchParams(window.location.search).has('token')) {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TransportContext.Provider value={desktopTransport() ?? httpTransport()}>
      <App />
    </TransportContext.Provider>
  </StrictMode>,
);
