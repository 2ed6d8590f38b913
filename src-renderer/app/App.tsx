import { useEffect, useState } from 'react';
import { ConvertScreen } from '../screens/ConvertScreen';
import { DatasetsScreen } from '../screens/DatasetsScreen';
import { ModelsScreen } from '../screens/ModelsScreen';
import { ResultsScreen } from '../screens/ResultsScreen';
import { RunsScreen } from '../screens/RunsScreen';
import { SettingsScreen } from '../screens/SettingsScreen';
import { formatRoute, parseRoute, SCREENS, type Route } from './routes';
import { applyTheme, loadTheme, type Theme } from './theme';

const TITLES: Record<(typeof SCREENS)[number], string> = { datasets: 'Datasets', models: 'Models', convert: 'Convert', runs: 'Runs', results: 'Results', settings: 'Settings' };

/** The workbench window: navigation on the left, one screen at a time, every screen a URL. */
export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  const [theme, setTheme] = useState<Theme>(loadTheme);
  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    document.title = `${TITLES[route.screen]} · TPP Workbench`;
  }, [route.screen]);
  return (
    <div className="app">
      <nav aria-label="screens">
        <p className="brand">TPP Workbench</p>
        <ul>
          {SCREENS.map((s) => (
            <li key={s}>
              <a href={formatRoute(s === 'results' ? { screen: s, runs: [] } : ({ screen: s } as Route))} aria-current={route.screen === s ? 'page' : undefined}>
                {TITLES[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <Screen route={route} theme={theme} onTheme={setTheme} />
      </main>
    </div>
  );
}

function Screen({ route, theme, onTheme }: { route: Route; theme: Theme; onTheme: (t: Theme) => void }) {
  switch (route.screen) {
    case 'datasets':
      return <DatasetsScreen id={route.id} />;
    case 'models':
      return <ModelsScreen id={route.id} />;
    case 'convert':
      return <ConvertScreen key={`${route.modelId}:${route.datasetId}:${route.from}`} modelId={route.modelId} datasetId={route.datasetId} from={route.from} />;
    case 'runs':
      return <RunsScreen />;
    case 'results':
      return <ResultsScreen runs={route.runs} />;
    case 'settings':
      return <SettingsScreen theme={theme} onTheme={onTheme} />;
  }
}
