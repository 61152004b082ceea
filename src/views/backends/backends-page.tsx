import { useState } from 'react'
import { useBackendsStore } from '../../state/backends-store.ts'
import type { KnownBackend } from '../../state/backends-store.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { BUTTON_CLASS, CARD_CLASS, PRIMARY_BUTTON_CLASS, SECTION_TITLE_CLASS } from '../../ui/styles.ts'
import { BackendForm } from './backend-form.tsx'
import { ConnectionCheck } from './connection-check.tsx'
import { maskHeaderValue } from './headers-input.ts'
import { getBackendClient, KIND_NAMES, useKnownBackends } from './use-backends.ts'

const KIND_BADGE_CLASS: Record<string, string> = {
  jaeger: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  zipkin: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  tempo: 'bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200',
}

/** `?page=backends`: the backends this browser talks to; add, edit, remove, check. */
export function BackendsPage() {
  const { backends, isLoading } = useKnownBackends()
  const proxiedError = useBackendsStore((state) => state.proxiedError)
  const addBackend = useBackendsStore((state) => state.addBackend)
  const [isAdding, setIsAdding] = useState(false)
  const hasProxied = backends.some((backend) => backend.isProxied)

  return (
    <div className="h-full overflow-auto" data-testid="backends-page">
      <div className="mx-auto flex max-w-4xl flex-col gap-4 p-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-lg font-semibold tracking-tight">Backends</h1>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Jaeger, Zipkin and Tempo query APIs to search and open traces from. Saved in this browser only.
          </p>
          {!isAdding && (
            <button type="button" className={`${PRIMARY_BUTTON_CLASS} ml-auto`} data-testid="backend-add" onClick={() => setIsAdding(true)}>
              Add backend
            </button>
          )}
        </div>

        {isAdding && (
          <section className={`${CARD_CLASS} p-4`} aria-label="New backend">
            <h2 className={`${SECTION_TITLE_CLASS} mb-3`}>New backend</h2>
            <BackendForm
              onSave={(draft) => {
                addBackend(draft)
                setIsAdding(false)
              }}
              onCancel={() => setIsAdding(false)}
            />
          </section>
        )}

        {proxiedError && (
          <p
            role="alert"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
          >
            {proxiedError}
          </p>
        )}

        {backends.length === 0 && !isLoading && !isAdding && (
          <div className={`${CARD_CLASS} p-6 text-sm text-zinc-600 dark:text-zinc-300`} data-testid="backends-empty">
            <p className="font-medium text-zinc-900 dark:text-zinc-100">No backends yet.</p>
            <p className="mt-1">Add one with its query URL (Jaeger on port 16686, Zipkin on 9411, Tempo on 3200), or let the Spanglass server proxy them:</p>
            <pre className="mt-2 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-800">
              SPANGLASS_BACKENDS="jaeger=http://127.0.0.1:16686,tempo=http://127.0.0.1:3200" npm start
            </pre>
          </div>
        )}

        <ul className="flex flex-col gap-3" data-testid="backend-list">
          {backends.map((backend) => (
            <li key={backend.config.id}>
              <BackendCard known={backend} />
            </li>
          ))}
        </ul>

        {!hasProxied && backends.length > 0 && (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            A backend without CORS headers (Tempo always, Jaeger by default) can only be reached through the Spanglass server: start it with{' '}
            <code className="font-mono">SPANGLASS_BACKENDS=name=url,…</code> and it appears here as a proxied backend.
          </p>
        )}
      </div>
    </div>
  )
}

function BackendCard({ known }: { readonly known: KnownBackend }) {
  const { config, isProxied, target, isKindGuessed } = known
  const [isEditing, setIsEditing] = useState(false)
  const updateBackend = useBackendsStore((state) => state.updateBackend)
  const removeBackend = useBackendsStore((state) => state.removeBackend)
  const setProxiedOverride = useBackendsStore((state) => state.setProxiedOverride)
  const capabilities = getBackendClient(config).capabilities
  const searchHref = buildHref({ page: 'search', backend: config.id })
  const dependenciesHref = buildHref({ page: 'dependencies', backend: config.id })
  const headers = Object.entries(config.headers ?? {})

  return (
    <article className={`${CARD_CLASS} flex flex-col gap-3 p-4`} data-testid="backend-card" data-backend-id={config.id} data-kind={config.kind}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-sm font-semibold" data-testid="backend-card-name">
          {config.name}
        </h2>
        <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${KIND_BADGE_CLASS[config.kind] ?? ''}`}>{KIND_NAMES[config.kind]}</span>
        {isProxied && (
          <span
            className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
            title="From SPANGLASS_BACKENDS: the Spanglass server forwards /backends/<name>/ to it, so CORS does not matter."
          >
            proxied
          </span>
        )}
        {isKindGuessed && <span className="text-[11px] text-amber-700 dark:text-amber-300">type not known from the name or port: set it with Settings</span>}
        <div className="ml-auto flex flex-wrap gap-1">
          <a href={searchHref} onClick={(event) => followLink(event, searchHref)} className={BUTTON_CLASS} data-testid="backend-search-link">
            Search
          </a>
          {capabilities.dependencies && (
            <a
              href={dependenciesHref}
              onClick={(event) => followLink(event, dependenciesHref)}
              className={BUTTON_CLASS}
              data-testid="backend-dependencies-link"
            >
              Dependencies
            </a>
          )}
          {!isEditing && (
            <button type="button" className={BUTTON_CLASS} onClick={() => setIsEditing(true)} data-testid="backend-edit">
              {isProxied ? 'Settings' : 'Edit'}
            </button>
          )}
          {!isProxied && (
            <button
              type="button"
              className={`${BUTTON_CLASS} hover:border-red-400 hover:text-red-700 dark:hover:text-red-300`}
              data-testid="backend-remove"
              onClick={() => {
                if (window.confirm(`Remove the backend “${config.name}” from this browser?`)) removeBackend(config.id)
              }}
            >
              Remove
            </button>
          )}
        </div>
      </div>

      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
        <dt className="text-zinc-500 dark:text-zinc-400">URL</dt>
        <dd className="font-mono break-all" data-testid="backend-card-url">
          {config.baseUrl}
          {target && <span className="text-zinc-500 dark:text-zinc-400"> → {target}</span>}
        </dd>
        {config.orgId && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Tenant</dt>
            <dd className="font-mono">{config.orgId}</dd>
          </>
        )}
        {headers.length > 0 && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Headers</dt>
            <dd className="font-mono break-all">{headers.map(([name, value]) => `${name}: ${maskHeaderValue(name, value)}`).join(', ')}</dd>
          </>
        )}
        {config.kind === 'tempo' && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Traces as</dt>
            <dd>
              {config.tempoProtobuf ? 'protobuf' : 'JSON'}
              {config.tempoSearch === 'tags' ? ' · legacy tags search' : ' · TraceQL search'}
            </dd>
          </>
        )}
      </dl>

      {isEditing ? (
        <div className="border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <BackendForm
            initial={config}
            isProxied={isProxied}
            onSave={(draft) => {
              if (isProxied) {
                setProxiedOverride(config.id, { kind: draft.kind, headers: draft.headers, orgId: draft.orgId, tempoProtobuf: draft.tempoProtobuf })
              } else {
                updateBackend(config.id, draft)
              }
              setIsEditing(false)
            }}
            onCancel={() => setIsEditing(false)}
          />
        </div>
      ) : (
        <ConnectionCheck getConfig={() => config} />
      )}
    </article>
  )
}
