import { useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { TraceSummary } from '../../backends/types.ts'
import { formatDurationNs, formatTimestampNs, pluralize } from '../../ui/format.ts'
import { layoutScatter } from './scatter-layout.ts'

const HEIGHT_PX = 190

/**
 * Duration over start time, one dot per trace (bigger = more spans, red = has errors). Hover
 * shows the trace; a click opens it. Hovering a row of the list highlights its dot.
 */
export function ScatterPlot({
  summaries,
  isLog,
  hoveredId,
  onHover,
  onOpen,
}: {
  readonly summaries: readonly TraceSummary[]
  readonly isLog: boolean
  readonly hoveredId: string | undefined
  readonly onHover: (traceId: string | undefined) => void
  readonly onOpen: (traceId: string) => void
}) {
  const containerRef = useRef<HTMLDivElement>(null)
  const [widthPx, setWidthPx] = useState(0)
  useLayoutEffect(() => {
    const element = containerRef.current
    if (!element) return
    setWidthPx(element.clientWidth)
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidthPx(Math.round(entry.contentRect.width))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const layout = useMemo(() => (widthPx > 0 ? layoutScatter(summaries, { widthPx, heightPx: HEIGHT_PX }, isLog) : undefined), [summaries, widthPx, isLog])
  const byId = useMemo(() => new Map(summaries.map((summary) => [summary.traceId, summary])), [summaries])
  const hovered = hoveredId === undefined ? undefined : layout?.dots.find((dot) => dot.traceId === hoveredId)
  const hoveredSummary = hoveredId === undefined ? undefined : byId.get(hoveredId)

  return (
    <div ref={containerRef} className="relative w-full" style={{ height: HEIGHT_PX }} data-testid="scatter-plot" data-scale={isLog ? 'log' : 'linear'}>
      {layout && (
        <svg
          width={layout.widthPx}
          height={layout.heightPx}
          className="block overflow-visible text-zinc-400 dark:text-zinc-500"
          role="img"
          aria-label={`Duration over time of ${pluralize(summaries.length, 'trace')}`}
        >
          <g className="text-[10px]">
            {layout.yTicks.map((tick) => (
              <g key={`y${tick.px}`}>
                <line x1={layout.plot.left} x2={layout.plot.right} y1={tick.px} y2={tick.px} className="stroke-zinc-200 dark:stroke-zinc-800" strokeWidth={1} />
                <text x={layout.plot.left - 6} y={tick.px} dy="0.32em" textAnchor="end" className="fill-zinc-500 dark:fill-zinc-400">
                  {tick.label}
                </text>
              </g>
            ))}
            {layout.xTicks.map((tick) => (
              <g key={`x${tick.px}`}>
                <line x1={tick.px} x2={tick.px} y1={layout.plot.bottom} y2={layout.plot.bottom + 4} className="stroke-zinc-300 dark:stroke-zinc-700" />
                <text x={tick.px} y={layout.plot.bottom + 15} textAnchor="middle" className="fill-zinc-500 dark:fill-zinc-400">
                  {tick.label}
                </text>
              </g>
            ))}
            <line
              x1={layout.plot.left}
              x2={layout.plot.right}
              y1={layout.plot.bottom}
              y2={layout.plot.bottom}
              className="stroke-zinc-300 dark:stroke-zinc-700"
            />
          </g>
          <g>
            {layout.dots.map((dot) => {
              const summary = byId.get(dot.traceId)
              const isHovered = dot.traceId === hoveredId
              return (
                <circle
                  key={dot.traceId}
                  data-testid="scatter-dot"
                  data-trace-id={dot.traceId}
                  data-error={dot.isError}
                  cx={dot.xPx}
                  cy={dot.yPx}
                  r={isHovered ? dot.radiusPx + 2 : dot.radiusPx}
                  className={`cursor-pointer ${
                    dot.isError
                      ? 'fill-red-500/75 stroke-red-700 dark:fill-red-500/80 dark:stroke-red-300'
                      : 'fill-indigo-500/60 stroke-indigo-700 dark:fill-indigo-400/60 dark:stroke-indigo-200'
                  }`}
                  strokeWidth={isHovered ? 2 : 1}
                  onPointerEnter={() => onHover(dot.traceId)}
                  onPointerLeave={() => onHover(undefined)}
                  onClick={() => onOpen(dot.traceId)}
                >
                  <title>{summary ? `${summary.rootService} › ${summary.rootOperation} — ${formatDurationNs(summary.durationNs)}` : dot.traceId}</title>
                </circle>
              )
            })}
          </g>
        </svg>
      )}
      {hovered && hoveredSummary && layout && (
        <div
          className="pointer-events-none absolute z-10 max-w-72 rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-[11px] shadow-md dark:border-zinc-700 dark:bg-zinc-900"
          style={{
            left: Math.min(hovered.xPx + 10, layout.widthPx - 200),
            top: Math.max(0, hovered.yPx - 52),
          }}
          data-testid="scatter-tooltip"
        >
          <p className="truncate font-medium text-zinc-900 dark:text-zinc-100">
            {hoveredSummary.rootService || 'unknown service'} › {hoveredSummary.rootOperation || '(no name)'}
          </p>
          <p className="text-zinc-600 tabular-nums dark:text-zinc-300">
            {formatDurationNs(hoveredSummary.durationNs)}
            {hoveredSummary.spanCount !== undefined ? ` · ${pluralize(hoveredSummary.spanCount, 'span')}` : ''}
            {(hoveredSummary.errorCount ?? 0) > 0 ? ` · ${pluralize(hoveredSummary.errorCount ?? 0, 'error')}` : ''}
          </p>
          <p className="text-zinc-500 tabular-nums dark:text-zinc-400">{formatTimestampNs(hoveredSummary.startTimeNs)}</p>
        </div>
      )}
    </div>
  )
}
