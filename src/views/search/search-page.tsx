import { useEffect, useMemo } from 'react'
import { useBackendsStore } from '../../state/backends-store.ts'
import { buildHref, followLink, navigate, replaceParams, useUrlParams } from '../../state/url-params.ts'
import { CARD_CLASS, PRIMARY_BUTTON_CLASS } from '../../ui/styles.ts'
import { BackendPicker } from '../backends/backend-picker.tsx'
import { KIND_NAMES, useSelectedBackend } from '../backends/use-backends.ts'
import { SearchForm } from './search-form.tsx'
import { SearchResults } from './search-results.tsx'
import { isSubmitted, readSearchState, toSearchQuery } from './search-state.ts'
import type { SearchUrlState } from './search-state.ts'
import { TraceIdLookup } from './trace-id-lookup.tsx'

/** The fields that define a search (not how its results are shown): the form restarts from the URL when they change. */
function formKey(state: SearchUrlState): string {
  const { sort: _sort, scale: _scale, ...rest } = state
  return JSON.stringify(rest)
}

/**
 * `?page=search&backend=<id>&service=…`: search a backend, see the hits as a scatter plot and a
 * list, open one. Everything that defines the search is in the URL.
 */
export function SearchPage() {
  const params = useUrlParams()
  const state = useMemo(() => readSearchState(params), [params])
  const { known, client, isLoading, backends } = useSelectedBackend(state.backend || undefined)
  const setLastUsed = useBackendsStore((store) => store.setLastUsed)
  const selectedId = known?.config.id

  useEffect(() => {
    if (selectedId === undefined) return
    setLastUsed(selectedId)
    // The selected backend is part of the URL, also when it was picked by default.
    if (state.backend === '') replaceParams({ backend: selectedId })
  }, [selectedId, state.backend, setLastUsed])

  const submitted = client && isSubmitted(state) ? toSearchQuery(state, client.capabilities) : undefined
  const settingsHref = buildHref({ page: 'backends' })

  if (!known || !client) {
    if (isLoading) return <p className="p-6 text-sm text-zinc-500">Loading backends…</p>
    return (
      <div className="mx-auto max-w-xl p-6" data-testid="search-page">
        <div className={`${CARD_CLASS} p-6 text-sm`} data-testid="search-no-backend">
          {state.backend ? (
            <p>
              No backend <span className="font-mono">{state.backend}</span> is configured in this browser.
            </p>
          ) : (
            <p>There is no backend to search yet.</p>
          )}
          <p className="mt-1 text-zinc-600 dark:text-zinc-300">
            Add your Jaeger, Zipkin or Tempo query URL, or start Spanglass with SPANGLASS_BACKENDS=name=url.
          </p>
          <a href={settingsHref} onClick={(event) => followLink(event, settingsHref)} className={`${PRIMARY_BUTTON_CLASS} mt-3`}>
            Add a backend
          </a>
        </div>
      </div>
    )
  }

  return (
    <div className="flex h-full min-h-0 flex-col md:flex-row" data-testid="search-page" data-backend={known.config.id} data-kind={known.config.kind}>
      <aside className="flex shrink-0 flex-col border-b border-zinc-200 bg-white md:w-80 md:overflow-auto md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-col gap-2 border-b border-zinc-200 p-4 dark:border-zinc-800">
          <BackendPicker
            backends={backends}
            selectedId={known.config.id}
            testId="search-backend"
            onChange={(id) => navigate(buildHref({ page: 'search', backend: id }))}
          />
          <p className="truncate text-[11px] text-zinc-500 dark:text-zinc-400" title={known.target ?? known.config.baseUrl}>
            {KIND_NAMES[known.config.kind]} at <span className="font-mono">{known.target ?? known.config.baseUrl}</span>
            {known.isProxied ? ' (proxied)' : ''}
          </p>
        </div>
        <SearchForm key={`${known.config.id} ${formKey(state)}`} backend={client} urlState={state} />
      </aside>
      <section className="min-h-0 min-w-0 flex-1 overflow-auto bg-zinc-50 dark:bg-zinc-950">
        <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
          <span className="text-xs font-medium text-zinc-600 dark:text-zinc-300">Open by id</span>
          <TraceIdLookup backendId={known.config.id} testId="search-trace-id" className="w-80 max-w-full" />
        </div>
        {!submitted ? (
          <div className="p-8 text-center text-sm text-zinc-500 dark:text-zinc-400" data-testid="search-idle">
            Choose what to look for on the left and press <span className="font-medium">Find traces</span>.
          </div>
        ) : submitted.query ? (
          <SearchResults backend={client} query={submitted.query} sort={state.sort} isLog={state.scale === 'log'} />
        ) : (
          <div
            role="alert"
            className="m-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
          >
            <p className="font-semibold">This search cannot run:</p>
            <ul className="mt-1 list-disc pl-5 text-xs">
              {submitted.errors.map((error) => (
                <li key={`${error.field}-${error.message}`}>
                  {error.field}: {error.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  )
}
