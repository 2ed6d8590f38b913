import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TransportContext } from './api/hooks';
import { desktopTransport } from './api/desktop-transport';
import { httpTransport } from './api/transport';
import { App } from './app/App';
import './styles.css';

/**
 * The desktop app's preload transport when there is one, else browser mode: the page came from
 * `tppw serve` as /?token=…; the token goes to this origin's session storage (browsers isolate it
 * by port, unlike cookies) and leaves the address bar and the history before anything else happens.
 */
const TOKEN_KEY = 'tppw-token';
const asked = new URLSearchParams(window.location.search).get('token');
if (asked !== null) {
  window.sessionStorage.setItem(TOKEN_KEY, asked);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
}
const token = window.sessionStorage.getItem(TOKEN_KEY) ?? '';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TransportContext.Provider value={desktopTransport() ?? httpTransport('', token)}>
      <App />
    </TransportContext.Provider>
  </StrictMode>,
);
