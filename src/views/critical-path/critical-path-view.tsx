import { useMemo } from 'react'
import type { Trace } from '../../model/trace.ts'
import { useSpanTreeStore } from '../../state/span-tree-store.ts'
import { formatCount, formatDurationNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { openWaterfall } from '../statistics/open-waterfall.ts'
import { selectSpanFilter, useSpanFilterStore } from '../statistics/span-filter-store.ts'
import { layoutCriticalPathTable } from './layout.ts'
import type { CriticalPathTableRow } from './layout.ts'
import { getCriticalPath, getCriticalPathSummary } from '../trace/trace-analyses.ts'

const HEAD_CLASS = 'px-3 py-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400'

/**
 * Where the latency really goes: critical-path time per service and per operation, longest
 * first, with each one's share of the path. A click filters the waterfall to the spans that
 * carry that time (`useSpanFilterStore`) and selects the first.
 */
export function CriticalPathView({ trace }: { readonly trace: Trace }) {
  const table = useMemo(() => layoutCriticalPathTable(trace, getCriticalPath(trace), getCriticalPathSummary(trace)), [trace])
  const spanFilter = useSpanFilterStore((state) => selectSpanFilter(state, trace))
  const setSpanFilter = useSpanFilterStore((state) => state.setSpanFilter)
  const select = useSpanTreeStore((state) => state.select)

  const apply = (row: CriticalPathTableRow) => {
    const what = row.group === 'service' ? `service ${row.service}` : `${row.service} · ${row.name ?? ''}`
    setSpanFilter({ trace, indexes: row.spanIndexes, label: `critical path in ${what}` })
    const first = row.spanIndexes[0]
    if (first !== undefined) select(trace, first)
  }

  const section = (title: string, rows: readonly CriticalPathTableRow[]) => (
    <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
      <tr className="bg-zinc-50 dark:bg-zinc-900/60">
        <th scope="rowgroup" colSpan={4} className={`${HEAD_CLASS} text-left`}>
          {title}
        </th>
      </tr>
      {rows.map((row) => {
        const isActive = spanFilter?.indexes === row.spanIndexes
        return (
          <tr
            key={row.id}
            data-testid="critical-path-row"
            data-group={row.group}
            aria-selected={isActive}
            tabIndex={0}
            onClick={() => apply(row)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault()
                apply(row)
              }
            }}
            title={`Show the ${pluralize(row.spanIndexes.length, 'span')} on the critical path in the waterfall`}
            className={`cursor-pointer ${isActive ? 'outline-2 -outline-offset-2 outline-indigo-500' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/50'}`}
          >
            <td className="max-w-0 px-3 py-1.5" style={{ width: '40%' }}>
              <div className="flex min-w-0 items-center gap-1.5">
                <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(row.service) }} aria-hidden="true" />
                <span className="truncate">
                  {row.group === 'operation' ? (
                    <>
                      <span className="text-zinc-500 dark:text-zinc-400">{row.service} · </span>
                      <span className="text-zinc-900 dark:text-zinc-100">{row.name}</span>
                    </>
                  ) : (
                    <span className="font-medium text-zinc-900 dark:text-zinc-100">{row.service}</span>
                  )}
                </span>
              </div>
            </td>
            <td className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums">{formatDurationNs(row.criticalNs)}</td>
            <td className="px-3 py-1.5" style={{ width: '35%' }}>
              <div className="flex items-center gap-2">
                <span className="h-2 min-w-0 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
                  <span
                    className="block h-full rounded-full"
                    style={{ width: `${Math.max(0.5, row.share * 100)}%`, backgroundColor: pickServiceColor(row.service) }}
                  />
                </span>
                <span className="w-12 shrink-0 text-right tabular-nums">{formatPercent(row.share)}</span>
              </div>
            </td>
            <td className="px-3 py-1.5 text-right text-zinc-500 tabular-nums dark:text-zinc-400">{formatCount(row.spanIndexes.length)}</td>
          </tr>
        )
      })}
    </tbody>
  )

  return (
    <div data-testid="critical-path" className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1 border-b border-zinc-200 px-3 py-1.5 text-xs dark:border-zinc-800">
        <span>
          Critical path <span className="font-semibold tabular-nums">{formatDurationNs(table.totalNs)}</span>
        </span>
        <span className="text-zinc-500 dark:text-zinc-400">
          trace {formatDurationNs(trace.durationNs)}
          {table.flowCount > 1 && ` · ${table.flowCount} flows (roots and async work, each with its own path)`}
        </span>
        {spanFilter && (
          <span className="ml-auto flex min-w-0 items-center gap-2 rounded-md bg-indigo-50 px-2 py-0.5 text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100">
            <span className="truncate">
              Waterfall shows {pluralize(spanFilter.indexes.length, 'span')}: {spanFilter.label}
            </span>
            <button type="button" className="shrink-0 font-medium underline-offset-2 hover:underline" onClick={openWaterfall}>
              Open waterfall
            </button>
            <button type="button" className={BUTTON_CLASS} onClick={() => setSpanFilter(undefined)}>
              Clear
            </button>
          </span>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        <table data-testid="critical-path-table" className="w-full min-w-[640px] border-collapse text-xs">
          <thead className="sticky top-0 z-10 bg-white shadow-[0_1px_0_var(--color-zinc-200)] dark:bg-zinc-900 dark:shadow-[0_1px_0_var(--color-zinc-800)]">
            <tr>
              <th scope="col" className={`${HEAD_CLASS} text-left`}>
                Where the time goes
              </th>
              <th scope="col" className={`${HEAD_CLASS} text-right`}>
                Critical time
              </th>
              <th scope="col" className={`${HEAD_CLASS} text-left`}>
                Share of the path
              </th>
              <th scope="col" className={`${HEAD_CLASS} text-right`} title="Spans with critical time">
                Spans
              </th>
            </tr>
          </thead>
          {section('By service', table.byService)}
          {section('By operation', table.byOperation)}
        </table>
        {table.byService.length === 0 && (
          <p className="p-4 text-xs text-zinc-500 dark:text-zinc-400">This trace has no critical path (all spans are zero-length).</p>
        )}
      </div>
    </div>
  )
}

function formatPercent(fraction: number): string {
  if (fraction > 0 && fraction < 0.001) return '<0.1%'
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`
}
