import { useEffect, useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { createBackend } from '../../backends/create-backend.ts'
import type { AnyBackend } from '../../backends/create-backend.ts'
import type { BackendConfig } from '../../backends/types.ts'
import { listKnownBackends, loadProxiedBackends, useBackendsStore } from '../../state/backends-store.ts'
import type { KnownBackend } from '../../state/backends-store.ts'

/** Every backend this page can talk to; starts reading the proxied list on first use. */
export function useKnownBackends(): { readonly backends: readonly KnownBackend[]; readonly isLoading: boolean } {
  const { userBackends, proxied, proxiedOverrides, proxiedStatus } = useBackendsStore(
    useShallow((state) => ({
      userBackends: state.userBackends,
      proxied: state.proxied,
      proxiedOverrides: state.proxiedOverrides,
      proxiedStatus: state.proxiedStatus,
    })),
  )
  useEffect(() => {
    void loadProxiedBackends()
  }, [])
  const backends = useMemo(() => listKnownBackends({ userBackends, proxied, proxiedOverrides }), [userBackends, proxied, proxiedOverrides])
  return { backends, isLoading: proxiedStatus === 'loading' }
}

const clients = new Map<string, AnyBackend>()

/**
 * One client per distinct configuration, shared by every component: a Tempo client remembers
 * that its server lacks `/api/v2/traces`, and query keys come from the client's `cacheKey`.
 */
export function getBackendClient(config: BackendConfig): AnyBackend {
  const key = JSON.stringify(config)
  let client = clients.get(key)
  if (!client) {
    client = createBackend(config)
    clients.set(key, client)
  }
  return client
}

export interface SelectedBackend {
  /** The backend asked for, or (without an id) the last used or first one. */
  readonly known: KnownBackend | undefined
  readonly client: AnyBackend | undefined
  /** The proxied list is still loading: an unknown id may yet appear. */
  readonly isLoading: boolean
  readonly backends: readonly KnownBackend[]
}

/** The backend `id` names; without an id, the one used last (else the first). */
export function useSelectedBackend(id: string | undefined): SelectedBackend {
  const { backends, isLoading } = useKnownBackends()
  const lastUsedId = useBackendsStore((state) => state.lastUsedId)
  const known = id ? backends.find((backend) => backend.config.id === id) : (backends.find((backend) => backend.config.id === lastUsedId) ?? backends[0])
  const client = useMemo(() => (known ? getBackendClient(known.config) : undefined), [known])
  return { known, client, isLoading, backends }
}

/** "Tempo", "Jaeger", "Zipkin". */
export const KIND_NAMES = { jaeger: 'Jaeger', zipkin: 'Zipkin', tempo: 'Tempo' } as const
