/** Screens as hash routes (#/datasets/3, #/results?runs=1,2), so every screen has a URL. */
export type Route =
  | { readonly screen: 'datasets'; readonly id?: number }
  | { readonly screen: 'models'; readonly id?: number }
  | { readonly screen: 'convert'; readonly modelId?: number; readonly datasetId?: number; readonly from?: number }
  | { readonly screen: 'runs' }
  | { readonly screen: 'results'; readonly runs: readonly number[] }
  | { readonly screen: 'settings' };

export const SCREENS = ['datasets', 'models', 'convert', 'runs', 'results', 'settings'] as const;

const positive = (s: string | null | undefined): number | undefined => {
  const n = Number(s);
  return s && Number.isInteger(n) && n > 0 ? n : undefined;
};

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [screen, id] = path.split('/');
  const params = new URLSearchParams(query);
  const withId = (n: number | undefined) => (n === undefined ? {} : { id: n });
  switch (screen) {
    case 'models':
      return { screen, ...withId(positive(id)) };
    case 'convert': {
      const modelId = positive(params.get('model'));
      const datasetId = positive(params.get('dataset'));
      const from = positive(params.get('from'));
      return { screen, ...(modelId ? { modelId } : {}), ...(datasetId ? { datasetId } : {}), ...(from ? { from } : {}) };
    }
    case 'runs':
      return { screen };
    case 'results':
      return { screen, runs: (params.get('runs') ?? '').split(',').map((s) => positive(s)).filter((n): n is number => n !== undefined) };
    case 'settings':
      return { screen };
    default:
      return { screen: 'datasets', ...withId(positive(id)) };
  }
}

export function formatRoute(route: Route): string {
  switch (route.screen) {
    case 'datasets':
    case 'models':
      return `#/${route.screen}${route.id ? `/${route.id}` : ''}`;
    case 'convert': {
      const q = new URLSearchParams();
      if (route.modelId) q.set('model', String(route.modelId));
      if (route.datasetId) q.set('dataset', String(route.datasetId));
      if (route.from) q.set('from', String(route.from));
      const s = q.toString();
      return `#/convert${s ? `?${s}` : ''}`;
    }
    case 'results':
      return `#/results${route.runs.length ? `?runs=${route.runs.join(',')}` : ''}`;
    default:
      return `#/${route.screen}`;
  }
}
