import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { guessBackendKind, proxyBaseUrl } from '../backends/backends-env.ts'
import type { BackendConfig, BackendKind } from '../backends/types.ts'

/**
 * The backends this browser knows: the ones the user added (saved in localStorage, with their
 * headers: they stay on this machine) and the ones the Spanglass server proxies because
 * SPANGLASS_BACKENDS names them (read from `/backends.json` on every visit, never saved).
 * Backend ids appear in URLs (`&backend=<id>`): a proxied backend's id is its name, a user's
 * backend gets a slug of its name.
 */

export const BACKEND_KINDS: readonly BackendKind[] = ['jaeger', 'zipkin', 'tempo']

/** A backend from SPANGLASS_BACKENDS, as `/backends.json` lists it. */
export interface ProxiedBackendInfo {
  readonly name: string
  /** Where the server forwards `/backends/<name>/…`. */
  readonly target: string
  readonly kind?: BackendKind
}

/** What the user may set on a proxied backend: the name and address come from the server. */
export interface ProxiedOverride {
  readonly kind?: BackendKind
  readonly headers?: Readonly<Record<string, string>>
  readonly orgId?: string
  readonly tempoProtobuf?: boolean
}

export interface KnownBackend {
  readonly config: BackendConfig
  /** From SPANGLASS_BACKENDS: reached through the app's own server, name and address read-only. */
  readonly isProxied: boolean
  /** Proxied backends: the address the server forwards to. */
  readonly target?: string
  /** Proxied backends whose kind neither the name nor the port told and the user did not set. */
  readonly isKindGuessed?: boolean
}

export type BackendDraft = Omit<BackendConfig, 'id'>

type ProxiedStatus = 'loading' | 'ready' | 'failed'

interface BackendsState {
  /** Added in this browser; persisted. */
  readonly userBackends: readonly BackendConfig[]
  /** Settings the user gave proxied backends, by name; persisted. */
  readonly proxiedOverrides: Readonly<Record<string, ProxiedOverride>>
  /** The backend last searched or opened, preselected next time; persisted. */
  readonly lastUsedId: string | undefined
  /** From `/backends.json`; not persisted. */
  readonly proxied: readonly ProxiedBackendInfo[]
  readonly proxiedStatus: ProxiedStatus
  /** Why `/backends.json` could not be read (shown on the settings page). */
  readonly proxiedError: string | undefined

  addBackend(draft: BackendDraft): BackendConfig
  updateBackend(id: string, draft: BackendDraft): void
  removeBackend(id: string): void
  setProxiedOverride(name: string, override: ProxiedOverride): void
  setLastUsed(id: string): void
  setProxied(proxied: readonly ProxiedBackendInfo[], error?: string): void
}

const STORAGE_KEY = 'spanglass-backends'

export const useBackendsStore = create<BackendsState>()(
  persist(
    (set, get) => ({
      userBackends: [],
      proxiedOverrides: {},
      lastUsedId: undefined,
      proxied: [],
      proxiedStatus: 'loading',
      proxiedError: undefined,

      addBackend: (draft) => {
        const taken = new Set([...get().userBackends.map((backend) => backend.id), ...get().proxied.map((backend) => backend.name)])
        const config = cleanConfig({ ...draft, id: uniqueId(slugify(draft.name || draft.kind), taken) })
        set((state) => ({ userBackends: [...state.userBackends, config] }))
        return config
      },
      updateBackend: (id, draft) =>
        set((state) => ({ userBackends: state.userBackends.map((backend) => (backend.id === id ? cleanConfig({ ...draft, id }) : backend)) })),
      removeBackend: (id) =>
        set((state) => ({
          userBackends: state.userBackends.filter((backend) => backend.id !== id),
          lastUsedId: state.lastUsedId === id ? undefined : state.lastUsedId,
        })),
      setProxiedOverride: (name, override) => set((state) => ({ proxiedOverrides: { ...state.proxiedOverrides, [name]: override } })),
      setLastUsed: (id) => {
        if (get().lastUsedId !== id) set({ lastUsedId: id })
      },
      setProxied: (proxied, error) => set({ proxied, proxiedStatus: error === undefined ? 'ready' : 'failed', proxiedError: error }),
    }),
    {
      name: STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ userBackends: state.userBackends, proxiedOverrides: state.proxiedOverrides, lastUsedId: state.lastUsedId }),
      // Storage is user-editable and may come from an older version: keep only what is valid.
      merge: (persisted, current) => ({ ...current, ...sanitizePersisted(persisted) }),
    },
  ),
)

/** Every backend, proxied ones first (in SPANGLASS_BACKENDS order), then the user's. */
export function listKnownBackends(state: Pick<BackendsState, 'userBackends' | 'proxied' | 'proxiedOverrides'>): KnownBackend[] {
  const proxied = state.proxied.map((info): KnownBackend => {
    const override = state.proxiedOverrides[info.name] ?? {}
    const kind = override.kind ?? info.kind
    return {
      config: cleanConfig({
        id: info.name,
        kind: kind ?? 'jaeger',
        name: info.name,
        baseUrl: proxyBaseUrl(info.name),
        headers: override.headers,
        orgId: override.orgId,
        tempoProtobuf: override.tempoProtobuf,
      }),
      isProxied: true,
      target: info.target,
      isKindGuessed: kind === undefined,
    }
  })
  const proxiedIds = new Set(proxied.map((backend) => backend.config.id))
  // A user's backend whose id a proxied backend took later stays reachable under a suffixed id.
  const user = state.userBackends.map((config): KnownBackend => ({
    config: proxiedIds.has(config.id) ? { ...config, id: `${config.id}-own` } : config,
    isProxied: false,
  }))
  return [...proxied, ...user]
}

/** The `/backends.json` answer of the Spanglass server, validated; unknown entries are skipped. */
export function parseProxiedList(value: unknown): ProxiedBackendInfo[] {
  const list = (value as { backends?: unknown } | null)?.backends
  if (!Array.isArray(list)) return []
  const out: ProxiedBackendInfo[] = []
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue
    const { name, target, kind } = item as Record<string, unknown>
    if (typeof name !== 'string' || name === '' || typeof target !== 'string') continue
    const known = isBackendKind(kind) ? kind : guessBackendKind(name, target)
    out.push(known ? { name, target, kind: known } : { name, target })
  }
  return out
}

let proxiedRequest: Promise<void> | undefined

/**
 * Reads `/backends.json` once per page. A static deployment (no Spanglass server) answers 404 or
 * its index page: then there are simply no proxied backends.
 */
export function loadProxiedBackends(fetchImpl: typeof fetch = (input, init) => fetch(input, init)): Promise<void> {
  proxiedRequest ??= (async () => {
    const setProxied = useBackendsStore.getState().setProxied
    try {
      const response = await fetchImpl(new URL('backends.json', document.baseURI).href, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      const type = response.headers.get('content-type') ?? ''
      if (!response.ok || !type.includes('json')) {
        setProxied([])
        return
      }
      setProxied(parseProxiedList(await response.json()))
    } catch (error) {
      setProxied([], `The list of proxied backends (backends.json) could not be read: ${error instanceof Error ? error.message : String(error)}`)
    }
  })()
  return proxiedRequest
}

export function isBackendKind(value: unknown): value is BackendKind {
  return value === 'jaeger' || value === 'zipkin' || value === 'tempo'
}

/** "My Jaeger (prod)" → "my-jaeger-prod": safe and readable in a URL. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return slug || 'backend'
}

function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

/** Drops empty optional fields so that equal settings give equal configs (and query keys). */
function cleanConfig(config: BackendConfig): BackendConfig {
  const headers = Object.fromEntries(Object.entries(config.headers ?? {}).filter(([name, value]) => name.trim() !== '' && value !== ''))
  const orgId = config.orgId?.trim()
  return {
    id: config.id,
    kind: config.kind,
    name: config.name.trim(),
    baseUrl: config.baseUrl.trim().replace(/\/+$/, ''),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(orgId ? { orgId } : {}),
    ...(config.kind === 'tempo' && config.tempoProtobuf ? { tempoProtobuf: true } : {}),
    ...(config.kind === 'tempo' && config.tempoSearch === 'tags' ? { tempoSearch: 'tags' as const } : {}),
  }
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const out: Record<string, string> = {}
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry
  return out
}

function sanitizeConfig(value: unknown): BackendConfig | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  const { id, kind, name, baseUrl } = record
  if (typeof id !== 'string' || id === '' || !isBackendKind(kind) || typeof name !== 'string' || typeof baseUrl !== 'string') return undefined
  return cleanConfig({
    id,
    kind,
    name,
    baseUrl,
    headers: stringRecord(record.headers),
    orgId: typeof record.orgId === 'string' ? record.orgId : undefined,
    tempoProtobuf: record.tempoProtobuf === true,
    tempoSearch: record.tempoSearch === 'tags' ? 'tags' : undefined,
  })
}

/** The persisted part of the state, keeping only well-formed entries. */
export function sanitizePersisted(value: unknown): Pick<BackendsState, 'userBackends' | 'proxiedOverrides' | 'lastUsedId'> {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const seen = new Set<string>()
  const userBackends: BackendConfig[] = []
  for (const item of Array.isArray(record.userBackends) ? record.userBackends : []) {
    const config = sanitizeConfig(item)
    if (config && !seen.has(config.id)) {
      seen.add(config.id)
      userBackends.push(config)
    }
  }
  const proxiedOverrides: Record<string, ProxiedOverride> = {}
  const overrides = record.proxiedOverrides
  if (typeof overrides === 'object' && overrides !== null) {
    for (const [name, item] of Object.entries(overrides)) {
      if (typeof item !== 'object' || item === null) continue
      const entry = item as Record<string, unknown>
      proxiedOverrides[name] = {
        ...(isBackendKind(entry.kind) ? { kind: entry.kind } : {}),
        ...(stringRecord(entry.headers) ? { headers: stringRecord(entry.headers) } : {}),
        ...(typeof entry.orgId === 'string' && entry.orgId !== '' ? { orgId: entry.orgId } : {}),
        ...(entry.tempoProtobuf === true ? { tempoProtobuf: true } : {}),
      }
    }
  }
  return { userBackends, proxiedOverrides, lastUsedId: typeof record.lastUsedId === 'string' ? record.lastUsedId : undefined }
}
