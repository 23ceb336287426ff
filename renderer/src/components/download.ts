/** Saves text as a file through the browser's own download, e.g. the call log as CSV. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM lets Excel open UTF-8 CSV with accents intact.
  const blob = new Blob([type.startsWith('text/csv') && !text.startsWith('\ufeff') ? '\ufeff' : '', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
