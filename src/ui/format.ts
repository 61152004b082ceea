/** Number and time formatting for display. Durations are in ns (float64), timestamps in ns since the epoch (bigint). */

const DURATION_UNITS: ReadonlyArray<readonly [number, string]> = [
  [3_600e9, 'h'],
  [60e9, 'min'],
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
]

/** "1.23 s", "456 ms", "12.3 µs", "800 ns": three significant digits, the largest unit ≥ 1. */
export function formatDurationNs(durationNs: number): string {
  if (!Number.isFinite(durationNs)) return '—'
  const magnitude = Math.abs(durationNs)
  for (const [unitNs, unit] of DURATION_UNITS) {
    if (magnitude >= unitNs) return `${formatSignificant(durationNs / unitNs)} ${unit}`
  }
  return `${formatSignificant(durationNs)} ns`
}

function formatSignificant(value: number): string {
  const magnitude = Math.abs(value)
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
  // toFixed then Number drops trailing zeros: 1.50 → 1.5, 2.00 → 2.
  return String(Number(value.toFixed(digits)))
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** "2024-05-01 14:03:07.123" in the viewer's local time zone. */
export function formatTimestampNs(timeNs: bigint): string {
  const date = new Date(Number(timeNs / 1_000_000n))
  if (Number.isNaN(date.getTime())) return '—'
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** The full ISO form, for tooltips. */
export function formatIsoTimestampNs(timeNs: bigint): string {
  const date = new Date(Number(timeNs / 1_000_000n))
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}

// Made on first use: building it initialises ICU's number formatting (about 10 ms), which the
// app's start-up need not wait for.
let countFormat: Intl.NumberFormat | undefined

export function formatCount(count: number): string {
  countFormat ??= new Intl.NumberFormat('en-US')
  return countFormat.format(count)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${formatSignificant(bytes / 1024)} KB`
  if (bytes < 1024 * 1024 * 1024) return `${formatSignificant(bytes / 1024 / 1024)} MB`
  return `${formatSignificant(bytes / 1024 / 1024 / 1024)} GB`
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}
