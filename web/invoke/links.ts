/**
 * The visual page's address for a station. The key rides in the fragment: browsers
 * never send a fragment to the server or in a Referer, and the page moves it to
 * sessionStorage and out of the address bar at once.
 */
export function invokePageUrl(baseUrl: string, stationNo: string, key?: string): string {
  const base = `${baseUrl.replace(/\/+$/, '')}/invoke/${encodeURIComponent(stationNo)}`;
  return key ? `${base}#key=${encodeURIComponent(key)}` : base;
}
