import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import type { AnyBackend } from '../../backends/create-backend.ts'
import { searchQueryOptions, traceQueryOptions } from '../../backends/queries.ts'
import type { TraceSearchQuery, TraceSummary } from '../../backends/types.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, followLink, navigate, replaceParams } from '../../state/url-params.ts'
import { formatCount, formatDurationNs, formatIsoTimestampNs, formatTimestampNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BackendErrorMessage } from '../backends/backend-error.tsx'
import { ScatterPlot } from './scatter-plot.tsx'
import { DEFAULT_SORT, nextSort, parseSort, sortSummaries } from './search-state.ts'
import type { SortKey } from './search-state.ts'

const HEAD_CLASS = 'px-3 py-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400'

const COLUMNS: readonly { readonly key: SortKey; readonly label: string; readonly isNumber: boolean }[] = [
  { key: 'root', label: 'Trace', isNumber: false },
  { key: 'start', label: 'Start', isNumber: false },
  { key: 'duration', label: 'Duration', isNumber: false },
  { key: 'spans', label: 'Spans', isNumber: true },
  { key: 'services', label: 'Services', isNumber: true },
  { key: 'errors', label: 'Errors', isNumber: true },
]

/** The hits of a submitted search: a scatter plot of duration over time and a sortable list. */
export function SearchResults({
  backend,
  query,
  sort,
  isLog,
}: {
  readonly backend: AnyBackend
  readonly query: TraceSearchQuery
  readonly sort: string
  readonly isLog: boolean
}) {
  const queryClient = useQueryClient()
  const search = useQuery(searchQueryOptions(backend, query))
  const [hoveredId, setHoveredId] = useState<string>()
  const loadedTraces = useTracesStore((state) => state.traces)
  const sorted = useMemo(() => sortSummaries(search.data ?? [], sort), [search.data, sort])

  const traceHrefOf = (traceId: string) => buildHref({ trace: traceId, backend: backend.config.id })
  // Start the download on press, before the click completes the navigation.
  const prefetch = (traceId: string) => {
    if (!loadedTraces.has(traceId)) void queryClient.prefetchQuery(traceQueryOptions(backend, traceId))
  }
  const open = (traceId: string) => navigate(traceHrefOf(traceId))

  if (search.isPending) {
    return (
      <div className="flex flex-col gap-2 p-4" data-testid="search-loading">
        <p className="text-sm text-zinc-600 dark:text-zinc-300">Searching {backend.config.name}…</p>
        <div className="h-1 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
          <div className="h-full w-1/3 animate-pulse rounded bg-indigo-500" />
        </div>
      </div>
    )
  }
  if (search.isError) {
    return (
      <div className="p-4">
        <BackendErrorMessage error={search.error} context="Search failed" onRetry={() => void search.refetch()} />
      </div>
    )
  }

  const { key: sortKey, isDescending } = parseSort(sort || DEFAULT_SORT)
  const errorTraces = sorted.filter((summary) => (summary.errorCount ?? 0) > 0).length
  return (
    <div className="flex flex-col gap-3 p-4" data-testid="search-results" data-count={sorted.length}>
      <div className="flex flex-wrap items-center gap-3 text-xs">
        <h2 className="text-sm font-semibold" data-testid="search-result-count">
          {pluralize(sorted.length, 'trace')}
        </h2>
        {errorTraces > 0 && <span className="text-red-700 dark:text-red-300">{pluralize(errorTraces, 'trace')} with errors</span>}
        {query.limit !== undefined && sorted.length >= query.limit && (
          <span className="text-zinc-500 dark:text-zinc-400">the limit ({query.limit}); narrow the search or raise the limit to see more</span>
        )}
        {search.isFetching && <span className="text-zinc-500">refreshing…</span>}
        <label className="ml-auto flex items-center gap-1.5 text-zinc-600 dark:text-zinc-300">
          <input
            type="checkbox"
            data-testid="search-scale-log"
            checked={isLog}
            onChange={(event) => replaceParams({ scale: event.target.checked ? 'log' : undefined })}
          />
          Log duration axis
        </label>
      </div>

      {sorted.length === 0 ? (
        <p
          className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400"
          data-testid="search-empty"
        >
          No traces match. Widen the time range, drop a filter, or check the service name.
        </p>
      ) : (
        <>
          <div className="rounded-lg border border-zinc-200 bg-white px-2 pt-2 dark:border-zinc-800 dark:bg-zinc-900">
            <ScatterPlot summaries={sorted} isLog={isLog} hoveredId={hoveredId} onHover={setHoveredId} onOpen={open} />
          </div>
          <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <table className="w-full min-w-[720px] border-collapse text-xs" data-testid="search-result-table">
              <thead className="border-b border-zinc-200 dark:border-zinc-800">
                <tr>
                  {COLUMNS.map((column) => {
                    const isSorted = column.key === sortKey
                    return (
                      <th
                        key={column.key}
                        className={`${HEAD_CLASS} ${column.isNumber ? 'text-right' : 'text-left'}`}
                        aria-sort={isSorted ? (isDescending ? 'descending' : 'ascending') : 'none'}
                      >
                        <button
                          type="button"
                          data-testid={`sort-${column.key}`}
                          onClick={() => replaceParams({ sort: nextSort(sort, column.key) === DEFAULT_SORT ? undefined : nextSort(sort, column.key) })}
                          className={`inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100 ${isSorted ? 'text-zinc-900 dark:text-zinc-100' : ''}`}
                        >
                          {column.label}
                          <span aria-hidden="true" className={isSorted ? '' : 'opacity-0'}>
                            {isDescending ? '↓' : '↑'}
                          </span>
                        </button>
                      </th>
                    )
                  })}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {sorted.map((summary) => (
                  <ResultRow
                    key={summary.traceId}
                    summary={summary}
                    href={traceHrefOf(summary.traceId)}
                    isLoaded={loadedTraces.has(summary.traceId)}
                    isHovered={summary.traceId === hoveredId}
                    onHover={setHoveredId}
                    onPrefetch={prefetch}
                    onOpen={open}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}

function ResultRow({
  summary,
  href,
  isLoaded,
  isHovered,
  onHover,
  onPrefetch,
  onOpen,
}: {
  readonly summary: TraceSummary
  readonly href: string
  readonly isLoaded: boolean
  readonly isHovered: boolean
  readonly onHover: (traceId: string | undefined) => void
  readonly onPrefetch: (traceId: string) => void
  readonly onOpen: (traceId: string) => void
}) {
  const errors = summary.errorCount ?? 0
  return (
    <tr
      data-testid="search-result-row"
      data-trace-id={summary.traceId}
      onPointerEnter={() => onHover(summary.traceId)}
      onPointerLeave={() => onHover(undefined)}
      onPointerDown={() => onPrefetch(summary.traceId)}
      onClick={() => onOpen(summary.traceId)}
      className={`cursor-pointer ${isHovered ? 'bg-indigo-50/70 dark:bg-indigo-950/40' : 'hover:bg-indigo-50/60 dark:hover:bg-indigo-950/30'}`}
    >
      <td className="max-w-0 px-3 py-1.5" style={{ width: '42%' }}>
        <div className="flex min-w-0 items-center gap-2">
          <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(summary.rootService) }} aria-hidden="true" />
          <a
            href={href}
            onClick={(event) => {
              event.stopPropagation()
              followLink(event, href)
            }}
            className="min-w-0 truncate rounded font-medium text-zinc-900 hover:text-indigo-600 dark:text-zinc-100 dark:hover:text-indigo-300"
            data-testid="search-result-link"
          >
            <span className="text-zinc-600 dark:text-zinc-300">{summary.rootService || 'unknown service'}</span>
            <span className="mx-1 text-zinc-400">›</span>
            {summary.rootOperation || '(no name)'}
          </a>
          {isLoaded && <span className="shrink-0 rounded bg-zinc-100 px-1 text-[10px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">loaded</span>}
        </div>
        <div className="mt-0.5 flex min-w-0 items-center gap-2 pl-4.5">
          <span className="shrink-0 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{summary.traceId}</span>
          <ServiceChips summary={summary} />
        </div>
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap tabular-nums" title={formatIsoTimestampNs(summary.startTimeNs)}>
        {formatTimestampNs(summary.startTimeNs)}
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap tabular-nums" data-testid="search-result-duration">
        {formatDurationNs(summary.durationNs)}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums" data-testid="search-result-spans">
        {summary.spanCount === undefined ? <span className="text-zinc-400">—</span> : formatCount(summary.spanCount)}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">
        {summary.serviceCount === undefined ? <span className="text-zinc-400">—</span> : formatCount(summary.serviceCount)}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">
        {summary.errorCount === undefined ? (
          <span className="text-zinc-400">—</span>
        ) : errors > 0 ? (
          <span className="font-semibold text-red-600 dark:text-red-400">{formatCount(errors)}</span>
        ) : (
          <span className="text-zinc-400">0</span>
        )}
      </td>
    </tr>
  )
}

const MAX_CHIPS = 4

function ServiceChips({ summary }: { readonly summary: TraceSummary }) {
  if (summary.services.length === 0) return null
  const shown = summary.services.slice(0, MAX_CHIPS)
  return (
    <span className="flex min-w-0 items-center gap-1 overflow-hidden">
      {shown.map((service) => (
        <span
          key={service.name}
          className="inline-flex shrink-0 items-center gap-1 rounded border border-zinc-200 px-1 text-[10px] text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
          title={`${service.name}: ${service.spanCount ?? '?'} spans${service.errorCount ? `, ${service.errorCount} errors` : ''}`}
        >
          <span className="size-1.5 rounded-full" style={{ backgroundColor: pickServiceColor(service.name) }} aria-hidden="true" />
          {service.name}
          {service.spanCount !== undefined && <span className="text-zinc-400">{service.spanCount}</span>}
        </span>
      ))}
      {summary.services.length > MAX_CHIPS && <span className="shrink-0 text-[10px] text-zinc-400">+{summary.services.length - MAX_CHIPS}</span>}
    </span>
  )
}
