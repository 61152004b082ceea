import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import type { AnyBackend } from '../../backends/create-backend.ts'
import { dependenciesQueryOptions } from '../../backends/queries.ts'
import type { DependencyLink } from '../../backends/types.ts'
import { serviceGraphFromLinks } from '../../model/analyses/service-graph.ts'
import { useBackendsStore } from '../../state/backends-store.ts'
import { buildHref, followLink, navigate, replaceParams, useUrlParams } from '../../state/url-params.ts'
import { formatCount, pluralize } from '../../ui/format.ts'
import { BUTTON_CLASS, CARD_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS } from '../../ui/styles.ts'
import { BackendErrorMessage } from '../backends/backend-error.tsx'
import { BackendPicker } from '../backends/backend-picker.tsx'
import { KIND_NAMES, useSelectedBackend } from '../backends/use-backends.ts'
import { ServiceMap } from '../service-map/service-map.tsx'
import { DEFAULT_DEPENDENCY_LOOKBACK, DEPENDENCY_LOOKBACKS, dependencyLookbackMs, dependencyRows, filterLinks } from './dependencies-state.ts'
import type { DependencySortKey } from './dependencies-state.ts'

const SELECT_CLASS =
  'rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs text-zinc-900 focus:border-indigo-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100'

/**
 * `?page=dependencies&backend=<id>&lookback=24h[&end=<ms>][&view=table]`: the services a backend
 * saw calling each other over a window, as a service map and a table.
 */
export function DependenciesPage() {
  const params = useUrlParams()
  const backendId = params.get('backend') ?? undefined
  const lookback = params.get('lookback') ?? DEFAULT_DEPENDENCY_LOOKBACK
  const endParam = params.get('end')
  const isTableOnly = params.get('view') === 'table'
  const filter = params.get('service') ?? ''
  const { known, client, isLoading, backends } = useSelectedBackend(backendId)
  const setLastUsed = useBackendsStore((store) => store.setLastUsed)
  // The window ends when the page opened (or at `&end=`); "Refresh" moves it to now.
  const [openedAtMs, setOpenedAtMs] = useState(() => Date.now())
  const endMs = endParam !== null && /^\d+$/.test(endParam) ? Number(endParam) : openedAtMs
  const selectedId = known?.config.id

  useEffect(() => {
    if (selectedId === undefined) return
    setLastUsed(selectedId)
    if (backendId === undefined) replaceParams({ backend: selectedId })
  }, [selectedId, backendId, setLastUsed])

  if (!known || !client) {
    const settingsHref = buildHref({ page: 'backends' })
    if (isLoading) return <p className="p-6 text-sm text-zinc-500">Loading backends…</p>
    return (
      <div className="mx-auto max-w-xl p-6" data-testid="dependencies-page">
        <div className={`${CARD_CLASS} p-6 text-sm`}>
          <p>{backendId ? `No backend "${backendId}" is configured in this browser.` : 'There is no backend yet.'}</p>
          <a href={settingsHref} onClick={(event) => followLink(event, settingsHref)} className={`${PRIMARY_BUTTON_CLASS} mt-3`}>
            Add a backend
          </a>
        </div>
      </div>
    )
  }

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="dependencies-page" data-backend={known.config.id}>
      <div className="flex shrink-0 flex-wrap items-center gap-3 border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-sm font-semibold">Dependencies</h1>
        <BackendPicker
          backends={backends}
          selectedId={known.config.id}
          testId="dependencies-backend"
          onChange={(id) =>
            navigate(buildHref({ page: 'dependencies', backend: id, lookback: lookback === DEFAULT_DEPENDENCY_LOOKBACK ? undefined : lookback }))
          }
        />
        <label className="flex items-center gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-300">
          Window
          <select
            data-testid="dependencies-lookback"
            className={SELECT_CLASS}
            value={lookback}
            onChange={(event) => replaceParams({ lookback: event.target.value === DEFAULT_DEPENDENCY_LOOKBACK ? undefined : event.target.value })}
          >
            {DEPENDENCY_LOOKBACKS.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={BUTTON_CLASS}
          data-testid="dependencies-refresh"
          onClick={() => {
            setOpenedAtMs(Date.now())
            if (endParam !== null) replaceParams({ end: undefined })
          }}
        >
          Refresh
        </button>
        <span className="text-[11px] text-zinc-500 dark:text-zinc-400">
          until {new Date(endMs).toLocaleString()}
          {endParam !== null ? ' (from the link)' : ''}
        </span>
        <div className="ml-auto flex gap-1" role="group" aria-label="Show">
          {([false, true] as const).map((tableOnly) => (
            <button
              key={String(tableOnly)}
              type="button"
              data-testid={tableOnly ? 'dependencies-view-table' : 'dependencies-view-map'}
              aria-pressed={isTableOnly === tableOnly}
              onClick={() => replaceParams({ view: tableOnly ? 'table' : undefined })}
              className={`${BUTTON_CLASS} aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-900 dark:aria-pressed:border-indigo-400 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-100`}
            >
              {tableOnly ? 'Table' : 'Map and table'}
            </button>
          ))}
        </div>
      </div>
      {client.capabilities.dependencies ? (
        <DependenciesBody backend={client} endMs={endMs} lookbackMs={dependencyLookbackMs(lookback)} isTableOnly={isTableOnly} filter={filter} />
      ) : (
        <div className="p-4" data-testid="dependencies-unsupported">
          <div className={`${CARD_CLASS} max-w-2xl p-4 text-sm`}>
            <p className="font-medium">{KIND_NAMES[client.kind]} has no dependency API.</p>
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">
              {client.kind === 'tempo'
                ? 'Tempo’s service graph is a set of Prometheus metrics written by its metrics-generator, not something its query API returns. Open traces from a search and use the Service map view of the loaded traces instead.'
                : 'Choose a Jaeger or Zipkin backend.'}
            </p>
          </div>
        </div>
      )}
    </div>
  )
}

function DependenciesBody({
  backend,
  endMs,
  lookbackMs,
  isTableOnly,
  filter,
}: {
  readonly backend: AnyBackend
  readonly endMs: number
  readonly lookbackMs: number
  readonly isTableOnly: boolean
  readonly filter: string
}) {
  const dependencies = useQuery(dependenciesQueryOptions(backend, { endTs: endMs, lookbackMs }))
  const links = dependencies.data
  const graph = useMemo(() => (links ? serviceGraphFromLinks(filterLinks(links, filter)) : undefined), [links, filter])

  if (dependencies.isPending)
    return (
      <p className="p-6 text-sm text-zinc-500" data-testid="dependencies-loading">
        Asking {backend.config.name} for its dependency links…
      </p>
    )
  if (dependencies.isError) {
    return (
      <div className="p-4">
        <BackendErrorMessage error={dependencies.error} context="Dependencies" onRetry={() => void dependencies.refetch()} />
      </div>
    )
  }
  if (!links || !graph || links.length === 0) {
    return (
      <p
        className="m-4 rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400"
        data-testid="dependencies-empty"
      >
        {backend.config.name} saw no calls between services in this window. Try a longer window.
      </p>
    )
  }
  const calls = graph.edges.reduce((sum, edge) => sum + edge.callCount, 0)
  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-auto">
      <div className="flex shrink-0 flex-wrap items-center gap-3 px-4 pt-3">
        <input
          className={`${INPUT_CLASS} max-w-xs`}
          placeholder="Filter by service…"
          defaultValue={filter}
          onChange={(event) => replaceParams({ service: event.target.value.trim() === '' ? undefined : event.target.value })}
          data-testid="dependencies-filter"
          aria-label="Show only the links of services whose name contains"
        />
        <p className="text-xs text-zinc-600 dark:text-zinc-300" data-testid="dependencies-summary">
          {pluralize(graph.nodes.length, 'service')} · {pluralize(graph.edges.length, 'link')} · {pluralize(calls, 'call')}
          {filter.trim() !== '' ? ` matching “${filter.trim()}”` : ''}
        </p>
      </div>
      {!isTableOnly && (
        <div className="mx-4 mt-3 flex h-[55vh] min-h-72 shrink-0 overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
          <ServiceMap graph={graph} title={<span className="font-medium">{backend.config.name}</span>} />
        </div>
      )}
      <DependencyTable links={links} filter={filter} />
    </div>
  )
}

const COLUMNS: readonly { readonly key: DependencySortKey; readonly label: string; readonly isNumber: boolean }[] = [
  { key: 'parent', label: 'Caller', isNumber: false },
  { key: 'child', label: 'Callee', isNumber: false },
  { key: 'calls', label: 'Calls', isNumber: true },
  { key: 'errors', label: 'Errors', isNumber: true },
  { key: 'rate', label: 'Error rate', isNumber: true },
]

function DependencyTable({ links, filter }: { readonly links: readonly DependencyLink[]; readonly filter: string }) {
  const [sort, setSort] = useState<{ key: DependencySortKey; isDescending: boolean }>({ key: 'calls', isDescending: true })
  const rows = useMemo(() => dependencyRows(links, sort, filter), [links, sort, filter])
  return (
    <div className="m-4 flex flex-col gap-2">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full min-w-[560px] border-collapse text-xs" data-testid="dependencies-table">
          <thead className="border-b border-zinc-200 dark:border-zinc-800">
            <tr>
              {COLUMNS.map((column) => {
                const isSorted = sort.key === column.key
                return (
                  <th
                    key={column.key}
                    aria-sort={isSorted ? (sort.isDescending ? 'descending' : 'ascending') : 'none'}
                    className={`px-3 py-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400 ${column.isNumber ? 'text-right' : 'text-left'}`}
                  >
                    <button
                      type="button"
                      className={`inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100 ${isSorted ? 'text-zinc-900 dark:text-zinc-100' : ''}`}
                      onClick={() =>
                        setSort((current) =>
                          current.key === column.key
                            ? { key: column.key, isDescending: !current.isDescending }
                            : { key: column.key, isDescending: column.isNumber },
                        )
                      }
                    >
                      {column.label}
                      <span aria-hidden="true" className={isSorted ? '' : 'opacity-0'}>
                        {sort.isDescending ? '↓' : '↑'}
                      </span>
                    </button>
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((row) => (
              <tr key={`${row.parent}\u0000${row.child}`} data-testid="dependency-row" data-parent={row.parent} data-child={row.child}>
                <td className="px-3 py-1.5 font-medium">{row.parent}</td>
                <td className="px-3 py-1.5">
                  {row.child}
                  {row.parent === row.child && <span className="ml-1 text-[10px] text-zinc-400">(itself)</span>}
                </td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(row.callCount)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">
                  {row.errorCount === undefined ? (
                    <span className="text-zinc-400">—</span>
                  ) : row.errorCount > 0 ? (
                    <span className="font-semibold text-red-600 dark:text-red-400">{formatCount(row.errorCount)}</span>
                  ) : (
                    <span className="text-zinc-400">0</span>
                  )}
                </td>
                <td className="px-3 py-1.5 text-right tabular-nums">
                  {row.errorRate === undefined ? <span className="text-zinc-400">—</span> : `${(row.errorRate * 100).toFixed(1)} %`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
