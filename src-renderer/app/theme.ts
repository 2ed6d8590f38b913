/** Light, dark, or as the system says; remembered in this browser. */
export type Theme = 'system' | 'light' | 'dark';

export function loadTheme(): Theme {
  const t = localStorage.getItem('tppw-theme');
  return t === 'light' || t === 'dark' ? t : 'system';
}

export function applyTheme(theme: Theme): void {
  localStorage.setItem('tppw-theme', theme);
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}
