import type { Trace } from '../../model/trace.ts'
import type { TimeWindow } from '../../state/waterfall-store.ts'

/**
 * Zoom window arithmetic, in trace ns. Pure. A window that covers the whole trace is
 * `undefined` ("not zoomed"), so the URL and the reset button know there is nothing to undo.
 */

/** Narrowest window: a few ns still shows a zero-length span's neighbourhood. */
export const MIN_WINDOW_NS = 10

function traceSpanNs(trace: Trace): number {
  return Math.max(trace.durationNs, MIN_WINDOW_NS)
}

/** Clamps a window into the trace, keeping its width when it can; undefined when it covers the whole trace. */
export function clampWindow(trace: Trace, startNs: number, endNs: number): TimeWindow | undefined {
  const totalNs = traceSpanNs(trace)
  let width = Math.max(MIN_WINDOW_NS, endNs - startNs)
  if (!Number.isFinite(width) || width >= totalNs) return undefined
  width = Math.min(width, totalNs)
  const start = Math.min(Math.max(startNs, 0), totalNs - width)
  return { startNs: start, endNs: start + width }
}

/** Scales the window by `factor` (< 1 zooms in) around `anchorNs`, which stays under the pointer. */
export function zoomWindow(trace: Trace, window: TimeWindow, factor: number, anchorNs: number): TimeWindow | undefined {
  const width = window.endNs - window.startNs
  const nextWidth = Math.max(MIN_WINDOW_NS, width * factor)
  const anchorFraction = width > 0 ? (anchorNs - window.startNs) / width : 0.5
  const startNs = anchorNs - anchorFraction * nextWidth
  return clampWindow(trace, startNs, startNs + nextWidth)
}

export function panWindow(trace: Trace, window: TimeWindow, deltaNs: number): TimeWindow | undefined {
  return clampWindow(trace, window.startNs + deltaNs, window.endNs + deltaNs)
}

/** The span with a margin of 5 % of its length on each side (a zero-length span gets a small window around it). */
export function windowAroundSpan(trace: Trace, index: number): TimeWindow | undefined {
  const startNs = trace.startOffsetNs[index] as number
  const durationNs = trace.durationsNs[index] as number
  const width = Math.max(durationNs, trace.durationNs / 1000, MIN_WINDOW_NS)
  const margin = width * 0.05
  const center = startNs + durationNs / 2
  return clampWindow(trace, center - width / 2 - margin, center + width / 2 + margin)
}

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }

/**
 * One bound of `&from=…&to=…`: ns offsets from the trace start (`1250000`), with a unit
 * (`1.25ms`), or a fraction of the trace (`0.25`, `25%`). A plain number of at most 1 with a
 * decimal point is a fraction: a sub-ns offset would mean nothing.
 */
export function parseWindowBound(text: string | null | undefined, trace: Trace): number | undefined {
  if (text === null || text === undefined) return undefined
  const match = /^\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*(%|ns|us|µs|ms|s)?\s*$/i.exec(text)
  if (!match) return undefined
  const value = Number(match[1])
  if (!Number.isFinite(value)) return undefined
  const unit = match[2]?.toLowerCase()
  if (unit === '%') return (value / 100) * trace.durationNs
  if (unit !== undefined) return value * (UNIT_NS[unit] ?? 1)
  if (match[1]?.includes('.') && Math.abs(value) <= 1) return value * trace.durationNs
  return value
}

export function parseWindowParams(trace: Trace, from: string | null, to: string | null): TimeWindow | undefined {
  const startNs = parseWindowBound(from, trace)
  const endNs = parseWindowBound(to, trace)
  if (startNs === undefined && endNs === undefined) return undefined
  const start = startNs ?? 0
  const end = endNs ?? trace.durationNs
  return end > start ? clampWindow(trace, start, end) : undefined
}

/** Whole ns are exact enough for a link and short. */
export function formatWindowBound(ns: number): string {
  return String(Math.round(ns))
}
