import { StatusCode } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The overview minimap's picture: the whole trace bucketed into a grid of `columns` (time) by
 * `bands` (span order). Pure, computed once per trace and canvas size.
 *
 * Bands take consecutive spans in depth-first order (band b holds spans
 * ⌊b·n/bands⌋ … ⌊(b+1)·n/bands⌋-1), so the picture has the waterfall's shape; a cell counts
 * the spans of its band that are running during its column. A span adds +1 at its first column
 * and -1 after its last in a per-band difference array, and one prefix sum per band finishes
 * the counts: O(spans + columns × bands) however long the spans are, so a million spans cost
 * one pass.
 */
export interface MinimapBuckets {
  readonly columns: number
  readonly bands: number
  /** Row-major, `bands × columns`: spans running in the cell. */
  readonly counts: Uint32Array
  /** Row-major: error spans running in the cell. */
  readonly errors: Uint32Array
  readonly maxCount: number
  /** Per band, the service index of its first span (for a tint). */
  readonly bandService: Int32Array
}

export function bucketSpans(trace: Trace, columns: number, maxBands: number): MinimapBuckets {
  const n = trace.spanCount
  const cols = Math.max(1, Math.floor(columns))
  const bands = Math.max(1, Math.min(Math.floor(maxBands), n))
  const stride = cols + 1
  const countDiff = new Int32Array(bands * stride)
  const errorDiff = new Int32Array(bands * stride)
  const bandService = new Int32Array(bands).fill(-1)
  const durationNs = trace.durationNs > 0 ? trace.durationNs : 1
  const scale = cols / durationNs

  for (let b = 0; b < bands; b++) {
    const from = Math.floor((b * n) / bands)
    const to = Math.floor(((b + 1) * n) / bands)
    if (from < n) bandService[b] = trace.serviceIndex[from] as number
    const base = b * stride
    for (let i = from; i < to; i++) {
      const startNs = trace.startOffsetNs[i] as number
      const endNs = startNs + (trace.durationsNs[i] as number)
      const first = clamp(Math.floor(startNs * scale), 0, cols - 1)
      // A zero-length span still occupies the column it falls in.
      const last = clamp(Math.max(first, Math.ceil(endNs * scale) - 1), 0, cols - 1)
      countDiff[base + first]!++
      countDiff[base + last + 1]!--
      if (trace.status[i] === StatusCode.Error) {
        errorDiff[base + first]!++
        errorDiff[base + last + 1]!--
      }
    }
  }

  const counts = new Uint32Array(bands * cols)
  const errors = new Uint32Array(bands * cols)
  let maxCount = 0
  for (let b = 0; b < bands; b++) {
    let count = 0
    let error = 0
    for (let c = 0; c < cols; c++) {
      count += countDiff[b * stride + c] as number
      error += errorDiff[b * stride + c] as number
      counts[b * cols + c] = count
      errors[b * cols + c] = error
      if (count > maxCount) maxCount = count
    }
  }
  return { columns: cols, bands, counts, errors, maxCount, bandService }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value
}
