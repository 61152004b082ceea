/**
 * Request headers as the settings form edits them: one `Name: value` per line. Pure.
 */

/** RFC 9110 token characters. */
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export function parseHeadersInput(text: string): { readonly headers: Record<string, string>; readonly error?: string } {
  const headers: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '') continue
    const colon = line.indexOf(':')
    if (colon <= 0) return { headers, error: `Line ${index + 1} is not "Name: value" (e.g. "Authorization: Bearer <token>").` }
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (!HEADER_NAME_RE.test(name)) return { headers, error: `Line ${index + 1}: "${name}" is not a valid header name.` }
    if (/[\r\n\0]/.test(value)) return { headers, error: `Line ${index + 1}: the value holds a control character.` }
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase())
    if (existing !== undefined) return { headers, error: `The header "${name}" is given twice.` }
    headers[name] = value
  }
  return { headers }
}

export function formatHeadersInput(headers: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}

/** For display: credentials shown as their scheme and a few characters. */
export function maskHeaderValue(name: string, value: string): string {
  if (!/authorization|token|key|secret|cookie/i.test(name)) return value
  const [scheme, ...rest] = value.split(' ')
  const secret = rest.length > 0 ? rest.join(' ') : (scheme ?? '')
  const shown = secret.length > 8 ? `${secret.slice(0, 3)}…` : '…'
  return rest.length > 0 ? `${scheme} ${shown}` : shown
}

/**
 * A base URL the clients can use: absolute http(s), or a path on this origin (`/jaeger`, a
 * reverse proxy in front of the app). Returns the cleaned URL or an error.
 */
export function checkBaseUrl(text: string): { readonly url?: string; readonly error?: string } {
  const raw = text.trim()
  if (raw === '') return { error: 'Give the address of the backend’s query API, e.g. http://127.0.0.1:16686.' }
  if (raw.startsWith('/')) return { url: raw.replace(/\/+$/, '') || '/' }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { error: `"${raw}" is not a URL: start it with http:// or https:// (or / for a path on this server).` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `Only http:// and https:// backends can be reached, not ${url.protocol}` }
  if (url.username !== '' || url.password !== '') return { error: 'Put credentials in an Authorization header, not in the URL.' }
  if (url.search !== '' || url.hash !== '') return { error: 'The base URL must not have a query (?…) or fragment (#…).' }
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` }
}
