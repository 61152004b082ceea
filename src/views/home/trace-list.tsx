import { useMemo } from 'react'
import type { Trace } from '../../model/trace.ts'
import { findTraceUrl, useTracesStore } from '../../state/traces-store.ts'
import { followLink, navigate, traceHref } from '../../state/url-params.ts'
import { formatCount, formatDurationNs, formatIsoTimestampNs, formatTimestampNs } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { WarningBadge } from '../../ui/warning-badge.tsx'
import { summarizeTrace } from '../trace/trace-summary.ts'

const HEAD_CELL_CLASS = 'px-3 py-1.5 text-left text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400'
const NUMBER_HEAD_CELL_CLASS = 'px-3 py-1.5 text-right text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400'
const NUMBER_CELL_CLASS = 'px-3 py-1.5 text-right tabular-nums'

/** Every loaded trace, earliest first; a row opens its trace page. */
export function TraceList() {
  const traces = useTracesStore((state) => state.traces)
  const inputs = useTracesStore((state) => state.inputs)
  const rows = useMemo(
    () => [...traces.values()].map((trace) => ({ trace, summary: summarizeTrace(trace), href: traceHref(trace.traceId, findTraceUrl(inputs, trace.traceId)) })),
    [traces, inputs],
  )
  const longestNs = useMemo(() => rows.reduce((longest, row) => Math.max(longest, row.trace.durationNs), 0), [rows])
  if (rows.length === 0) return null
  return (
    <div className="overflow-x-auto">
      <table data-testid="trace-list" className="w-full min-w-[760px] border-collapse text-xs">
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <th className={HEAD_CELL_CLASS}>Trace</th>
            <th className={HEAD_CELL_CLASS}>Start</th>
            <th className={HEAD_CELL_CLASS}>Duration</th>
            <th className={NUMBER_HEAD_CELL_CLASS}>Spans</th>
            <th className={NUMBER_HEAD_CELL_CLASS}>Services</th>
            <th className={NUMBER_HEAD_CELL_CLASS}>Errors</th>
            <th className={HEAD_CELL_CLASS}>
              <span className="sr-only">Warnings</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map(({ trace, summary, href }) => (
            <tr
              key={trace.traceId}
              data-testid="trace-row"
              data-trace-id={trace.traceId}
              onClick={() => navigate(href)}
              className="cursor-pointer hover:bg-indigo-50/60 dark:hover:bg-indigo-950/30"
            >
              <td className="max-w-0 px-3 py-1.5" style={{ width: '45%' }}>
                <div className="flex min-w-0 items-center gap-2">
                  <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(summary.rootService) }} aria-hidden="true" />
                  <a
                    href={href}
                    onClick={(event) => {
                      event.stopPropagation()
                      followLink(event, href)
                    }}
                    className="min-w-0 truncate rounded font-medium text-zinc-900 hover:text-indigo-600 dark:text-zinc-100 dark:hover:text-indigo-300"
                  >
                    <span className="text-zinc-600 dark:text-zinc-300">{summary.rootService || 'unknown service'}</span>
                    <span className="mx-1 text-zinc-400">›</span>
                    {summary.rootName || '(no name)'}
                  </a>
                  {summary.isRootMissing && <span className="shrink-0 text-[11px] text-amber-700 dark:text-amber-300">root missing</span>}
                </div>
                <div className="mt-0.5 truncate pl-4.5 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{trace.traceId}</div>
              </td>
              <td className="px-3 py-1.5 whitespace-nowrap tabular-nums" title={formatIsoTimestampNs(trace.startTimeNs)}>
                {formatTimestampNs(trace.startTimeNs)}
              </td>
              <td className="px-3 py-1.5">
                <DurationCell trace={trace} longestNs={longestNs} />
              </td>
              <td className={NUMBER_CELL_CLASS}>{formatCount(trace.spanCount)}</td>
              <td className={NUMBER_CELL_CLASS}>{formatCount(summary.serviceCount)}</td>
              <td className={NUMBER_CELL_CLASS}>
                {trace.errorCount > 0 ? (
                  <span className="font-semibold text-red-600 dark:text-red-400">{formatCount(trace.errorCount)}</span>
                ) : (
                  <span className="text-zinc-400">0</span>
                )}
              </td>
              <td className="px-3 py-1.5">
                <WarningBadge warnings={trace.warnings} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DurationCell({ trace, longestNs }: { readonly trace: Trace; readonly longestNs: number }) {
  const percent = longestNs > 0 ? Math.max(1, (trace.durationNs / longestNs) * 100) : 0
  return (
    <div className="flex items-center gap-2">
      <span className="w-16 shrink-0 text-right tabular-nums">{formatDurationNs(trace.durationNs)}</span>
      <span className="h-1.5 w-20 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
        <span className="block h-full rounded-full bg-indigo-400 dark:bg-indigo-500" style={{ width: `${percent}%` }} />
      </span>
    </div>
  )
}
