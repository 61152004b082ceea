import type { BackendKind } from './types.ts'

/**
 * `SPANGLASS_BACKENDS`: the backends the dev/preview server proxies, so that the page reaches
 * backends without CORS headers on its own origin. Pure: the Vite config reads the variable and
 * calls this; the app can call it on the same text to list the proxied backends.
 *
 *   SPANGLASS_BACKENDS="jaeger=http://127.0.0.1:16686, tempo=http://tempo:3200"
 *
 * Entries are separated by commas, semicolons or white space. A backend named N is then at
 * `/backends/N/` on the app's origin (`proxyBaseUrl`).
 */

export interface ProxiedBackend {
  readonly name: string
  /** Absolute http(s) URL without a trailing slash, query or fragment. */
  readonly url: string
}

export class BackendsEnvError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(
      `SPANGLASS_BACKENDS is not valid: ${problems.join('; ')}. Expected name=url pairs separated by commas, e.g. SPANGLASS_BACKENDS="jaeger=http://127.0.0.1:16686,tempo=http://127.0.0.1:3200".`,
    )
    this.name = 'BackendsEnvError'
    this.problems = problems
  }
}

/** Safe as one URL path segment and as a word in messages. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function parseBackendsEnv(text: string | undefined): ProxiedBackend[] {
  if (text === undefined) return []
  const entries = text.split(/[,;\s]+/).filter((entry) => entry !== '')
  const problems: string[] = []
  const out: ProxiedBackend[] = []
  const seen = new Set<string>()
  for (const entry of entries) {
    const eq = entry.indexOf('=')
    if (eq <= 0) {
      problems.push(`${JSON.stringify(entry)} is not name=url`)
      continue
    }
    const name = entry.slice(0, eq)
    const rawUrl = entry.slice(eq + 1)
    if (!NAME_RE.test(name)) {
      problems.push(`the name ${JSON.stringify(name)} may hold only letters, digits, ".", "_" and "-" (starting with a letter or digit, at most 64)`)
      continue
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(`the name "${name}" is given twice`)
      continue
    }
    const url = checkUrl(name, rawUrl, problems)
    if (url === undefined) continue
    seen.add(name.toLowerCase())
    out.push({ name, url })
  }
  if (problems.length > 0) throw new BackendsEnvError(problems)
  return out
}

function checkUrl(name: string, raw: string, problems: string[]): string | undefined {
  if (raw === '') {
    problems.push(`"${name}" has no URL`)
    return undefined
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`the URL of "${name}" (${JSON.stringify(raw)}) is not an absolute URL: it must start with http:// or https://`)
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`the URL of "${name}" (${JSON.stringify(raw)}) must start with http:// or https://`)
    return undefined
  }
  if (url.username !== '' || url.password !== '') {
    problems.push(`the URL of "${name}" holds credentials; they would leak into logs and the page: give no user:password in the URL`)
    return undefined
  }
  if (url.search !== '' || url.hash !== '') {
    problems.push(`the URL of "${name}" must not have a query or fragment (it is a base URL)`)
    return undefined
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** Where the app's own server exposes the proxied backend `name`. */
export function proxyBaseUrl(name: string): string {
  return `/backends/${encodeURIComponent(name)}`
}

/** A first guess of the kind from the name or the usual port, for a settings form to preselect. */
export function guessBackendKind(name: string, url: string): BackendKind | undefined {
  const lower = name.toLowerCase()
  for (const kind of ['jaeger', 'zipkin', 'tempo'] as const) if (lower.includes(kind)) return kind
  let port: string
  try {
    port = new URL(url).port
  } catch {
    return undefined
  }
  if (port === '16686') return 'jaeger'
  if (port === '9411') return 'zipkin'
  if (port === '3200') return 'tempo'
  return undefined
}
