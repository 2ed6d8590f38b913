/// <reference lib="dom" />

/**
 * What the preload does to the page itself. Files and folders dropped on the window, anywhere the page does not take the drop itself (a
 * file input, or a handler that called preventDefault). Their paths come from Electron's
 * `webUtils.getPathForFile`, which answers only for files the user really dropped or picked (a
 * File made by a script has none), and go to main, which grants and imports them. Runs in the
 * preload's isolated world: page scripts can neither see nor call it.
 */
export function forwardDrops(target: Window, pathOf: (file: File) => string, send: (paths: string[]) => void): void {
  const pageTakesIt = (event: DragEvent): boolean => {
    const target = event.target as { tagName?: string; type?: string } | null;
    return event.defaultPrevented || (target?.tagName === 'INPUT' && target.type === 'file');
  };
  target.addEventListener('dragover', (event) => {
    if (!pageTakesIt(event)) event.preventDefault();
  });
  target.addEventListener('drop', (event) => {
    if (pageTakesIt(event)) return;
    event.preventDefault();
    const paths = Array.from(event.dataTransfer?.files ?? [], pathOf).filter((p) => p !== '');
    if (paths.length > 0) send(paths);
  });
}

/** Main asks for a screen by its hash route; nothing but a route is accepted. */
export function showScreen(target: Window, hash: unknown): void {
  if (typeof hash === 'string' && /^#\/[a-z]+$/.test(hash)) target.location.hash = hash;
}
