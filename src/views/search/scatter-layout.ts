import { scaleLinear, scaleLog, scaleTime, timeFormat } from 'd3'
import type { TraceSummary } from '../../backends/types.ts'
import { formatDurationNs } from '../../ui/format.ts'

/**
 * The search results' scatter plot: one dot per trace, start time on x, duration on y (linear
 * or log), radius by span count, errors flagged. Pure: React draws what this returns.
 *
 * Coordinate spaces: trace start in ms since the epoch and duration in ns (data) → plot px,
 * with (0, 0) at the SVG's top left; the plot area is inset by `SCATTER_MARGIN`.
 */

export const SCATTER_MARGIN = { top: 12, right: 16, bottom: 26, left: 64 } as const
/** The log axis starts at 1 µs: Tempo reports sub-millisecond traces as 0 ms. */
const LOG_FLOOR_NS = 1_000
const MIN_RADIUS_PX = 3.5
const MAX_RADIUS_PX = 11

export interface ScatterDot {
  readonly traceId: string
  readonly xPx: number
  readonly yPx: number
  readonly radiusPx: number
  readonly isError: boolean
}

export interface ScatterTick {
  readonly px: number
  readonly label: string
}

export interface ScatterLayout {
  readonly widthPx: number
  readonly heightPx: number
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number }
  /** Drawn in this order: the larger (more spans) first, so small dots stay clickable on top. */
  readonly dots: readonly ScatterDot[]
  readonly xTicks: readonly ScatterTick[]
  readonly yTicks: readonly ScatterTick[]
  readonly isLog: boolean
}

export function startMsOf(summary: TraceSummary): number {
  return Number(summary.startTimeNs / 1_000_000n)
}

/** Radius grows with the square root of the span count (area ∝ spans), within bounds. */
export function dotRadiusPx(spanCount: number | undefined, maxSpanCount: number): number {
  if (spanCount === undefined || maxSpanCount <= 1) return MIN_RADIUS_PX + 1
  const t = Math.sqrt(Math.max(0, spanCount - 1) / (maxSpanCount - 1))
  return MIN_RADIUS_PX + t * (MAX_RADIUS_PX - MIN_RADIUS_PX)
}

/** [start, end] in ms with some air, never empty (one trace, or all at one instant, gets ±30 s). */
export function timeDomain(startsMs: readonly number[]): [number, number] {
  if (startsMs.length === 0) {
    const now = Date.now()
    return [now - 3_600_000, now]
  }
  let min = Infinity
  let max = -Infinity
  for (const value of startsMs) {
    if (value < min) min = value
    if (value > max) max = value
  }
  if (max - min < 1_000) return [min - 30_000, max + 30_000]
  const pad = (max - min) * 0.04
  return [min - pad, max + pad]
}

/** Duration domain in ns: from 0 (linear) or the smallest positive value (log) to the largest, with air. */
export function durationDomain(durationsNs: readonly number[], isLog: boolean): [number, number] {
  let max = 0
  let minPositive = Infinity
  for (const value of durationsNs) {
    if (value > max) max = value
    if (value > 0 && value < minPositive) minPositive = value
  }
  if (!isLog) return [0, max > 0 ? max * 1.08 : 1e6]
  const low = Math.max(LOG_FLOOR_NS, Number.isFinite(minPositive) ? minPositive / 1.6 : LOG_FLOOR_NS)
  const high = Math.max(low * 10, max * 1.6)
  return [low, high]
}

export function layoutScatter(
  summaries: readonly TraceSummary[],
  size: { readonly widthPx: number; readonly heightPx: number },
  isLog: boolean,
): ScatterLayout {
  const { widthPx, heightPx } = size
  const plot = {
    left: SCATTER_MARGIN.left,
    top: SCATTER_MARGIN.top,
    right: Math.max(SCATTER_MARGIN.left + 10, widthPx - SCATTER_MARGIN.right),
    bottom: Math.max(SCATTER_MARGIN.top + 10, heightPx - SCATTER_MARGIN.bottom),
  }
  const xDomain = timeDomain(summaries.map(startMsOf))
  const x = scaleTime()
    .domain(xDomain.map((ms) => new Date(ms)))
    .range([plot.left, plot.right])
  const yDomain = durationDomain(
    summaries.map((summary) => summary.durationNs),
    isLog,
  )
  const yTickCount = Math.max(2, Math.floor((plot.bottom - plot.top) / 36))
  const y = isLog
    ? scaleLog().domain(yDomain).range([plot.bottom, plot.top]).clamp(true)
    : scaleLinear().domain(yDomain).range([plot.bottom, plot.top]).nice(yTickCount)
  const maxSpanCount = summaries.reduce((max, summary) => Math.max(max, summary.spanCount ?? 0), 0)
  const dots = summaries
    .map((summary): ScatterDot => ({
      traceId: summary.traceId,
      xPx: x(new Date(startMsOf(summary))),
      yPx: y(isLog ? Math.max(summary.durationNs, yDomain[0]) : summary.durationNs),
      radiusPx: dotRadiusPx(summary.spanCount, maxSpanCount),
      isError: (summary.errorCount ?? 0) > 0,
    }))
    .sort((a, b) => b.radiusPx - a.radiusPx)

  const xTickCount = Math.max(2, Math.floor((plot.right - plot.left) / 110))
  const xFormat = timeFormat(timeTickPattern(xDomain[1] - xDomain[0]))
  const xTicks = x.ticks(xTickCount).map((date) => ({ px: x(date), label: xFormat(date) }))
  const yValues = isLog ? logTicks(yDomain) : y.ticks(yTickCount)
  const yTicks = yValues.map((value) => ({ px: y(value), label: value === 0 ? '0' : formatDurationNs(value) }))
  return { widthPx, heightPx, plot, dots, xTicks, yTicks, isLog }
}

/** Whole clock times, as precise as the span needs (d3's default ":05" says nothing about the minute). */
export function timeTickPattern(spanMs: number): string {
  if (spanMs < 3 * 60_000) return '%H:%M:%S'
  if (spanMs < 2 * 86_400_000) return '%H:%M'
  return '%b %d %H:%M'
}

/**
 * Powers of ten inside the domain (1 µs, 10 µs, … 10 s) — d3's log ticks label 2…9 too, which
 * crowds a short axis — or 1-2-5 steps when the domain spans less than three decades.
 */
export function logTicks([low, high]: readonly [number, number]): number[] {
  const decades = Math.log10(high / low)
  const steps = decades < 3 ? [1, 2, 5] : [1]
  const ticks: number[] = []
  for (let power = Math.floor(Math.log10(low)); 10 ** power <= high; power++) {
    for (const step of steps) {
      const value = step * 10 ** power
      if (value >= low && value <= high) ticks.push(value)
    }
  }
  return ticks
}
