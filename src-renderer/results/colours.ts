/** One colour per method; with several runs, the palette by series so lines stay apart. */
const BY_METHOD: Record<string, string> = { if: '#1f77b4', 'if-permute': '#ff7f0e', tpp: '#2ca02c', 'tpp-iid': '#9467bd' };
const PALETTE = ['#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export function colourOf(method: string, index: number): string {
  return index === 0 ? BY_METHOD[method] ?? '#333' : PALETTE[index % PALETTE.length]!;
}
