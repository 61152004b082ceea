/**
 * Time ruler ticks. Pure.
 *
 * A step from the 1-2-5 series (1 ns, 2 ns, 5 ns, 10 ns … 1 s, 2 s, 5 s, 10 s …) is chosen so
 * that labels stay at least `minSpacingPx` apart at the current zoom; ticks are the multiples
 * of the step inside the visible window, in trace ns (offsets from the trace start).
 */

export interface RulerTicks {
  readonly stepNs: number
  /** Offsets in ns from the trace start, ascending, inside [startNs, endNs]. */
  readonly ticksNs: readonly number[]
}

const MULTIPLIERS = [1, 2, 5] as const

/** The smallest 1-2-5 step (≥ 1 ns) whose on-screen spacing is at least `minSpacingPx`. */
export function chooseTickStepNs(spanNs: number, widthPx: number, minSpacingPx: number): number {
  if (!(spanNs > 0) || !(widthPx > 0)) return 1
  const minStepNs = (spanNs * minSpacingPx) / widthPx
  let decade = 1
  // Whole decades from 1 ns up; 1e30 ns stops runaway loops on absurd input.
  while (decade < 1e30) {
    for (const multiplier of MULTIPLIERS) {
      const step = decade * multiplier
      if (step >= minStepNs) return step
    }
    decade *= 10
  }
  return decade
}

export function chooseRulerTicks(startNs: number, endNs: number, widthPx: number, minSpacingPx = 90): RulerTicks {
  const spanNs = endNs - startNs
  const stepNs = chooseTickStepNs(spanNs, widthPx, minSpacingPx)
  const ticksNs: number[] = []
  // No width yet (the first render, before the ruler is measured): no room for a tick. Ticks
  // of 1 ns here were a thousand labels in the DOM for one frame: 30 ms of layout.
  if (!(spanNs > 0) || !(widthPx > 0)) return { stepNs, ticksNs }
  const first = Math.ceil(startNs / stepNs)
  const last = Math.floor(endNs / stepNs)
  for (let k = first; k <= last && ticksNs.length < 1000; k++) ticksNs.push(k * stepNs)
  return { stepNs, ticksNs }
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
]

/**
 * A tick label in the unit of the step, with just enough decimals to tell neighbours apart:
 * steps of 500 µs read "1.5 ms", "2 ms"; steps of 20 ns read "1.02 µs"… when the step is
 * smaller than the unit of the value. Labels are offsets from the trace start.
 */
export function formatTickNs(valueNs: number, stepNs: number): string {
  if (valueNs === 0) return '0'
  const magnitude = Math.max(Math.abs(valueNs), stepNs)
  const [unitNs, unit] = UNITS.find(([size]) => magnitude >= size) ?? [1, 'ns']
  // Decimals needed so that the step shows: step 0.5 ms → 1 decimal, 0.02 ms → 2.
  const stepInUnit = stepNs / unitNs
  const decimals = stepInUnit >= 1 ? 0 : Math.min(9, Math.ceil(-Math.log10(stepInUnit) - 1e-9))
  return `${(valueNs / unitNs).toFixed(decimals)} ${unit}`
}
