import { color as parseColor, interpolateRgb, interpolateYlOrRd } from 'd3'
import { formatDurationNs } from '../../ui/format.ts'
import { cullCriticalRow, cullRow, RowDrawList } from './layout.ts'
import type { FlameLayout, FlameWindow } from './layout.ts'

/**
 * Draws a `FlameLayout` into a 2D canvas context. No React, no store: the shell owns the
 * viewport and calls `drawFlame` at most once per animation frame, and `drawFlameOverlay` (hover,
 * selection, drag range) on a second canvas so that moving the pointer never redraws the bars.
 *
 * Coordinate spaces: layout x (ns) → view px (CSS pixels, `FlameWindow`) → device px (the
 * context is scaled by devicePixelRatio before drawing, so everything here is in view px).
 * Vertically, row r sits at `AXIS_HEIGHT_PX + r * ROW_HEIGHT_PX - topPx`.
 */
export const ROW_HEIGHT_PX = 18
export const AXIS_HEIGHT_PX = 22
const BAR_GAP_PX = 1
const LABEL_MIN_PX = 36
const LABEL_PADDING_PX = 4
const CRITICAL_BAND_PX = 4
const FONT = '11px ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif'
const HEAT_STEPS = 32

export type FlameColorMode = 'service' | 'self'
export type FlameTheme = 'light' | 'dark'

export interface FlameViewport extends FlameWindow {
  /** Content scrolled above the first row, in view px. */
  readonly topPx: number
  readonly heightPx: number
}

export interface FlameDrawOptions {
  readonly colorMode: FlameColorMode
  /** Search matches (1 = match); undefined when there is no search. Others are dimmed. */
  readonly matches: Uint8Array | undefined
  readonly showCritical: boolean
  readonly theme: FlameTheme
  /** Fill and label colour per service index (`serviceSwatches`). */
  readonly serviceSwatches: readonly Swatch[]
  readonly names: readonly string[]
}

interface Colors {
  readonly background: string
  readonly axisBackground: string
  readonly axisText: string
  readonly grid: string
  readonly bucket: string
  readonly dimBucket: string
  readonly critical: string
  readonly selected: string
  readonly hovered: string
  readonly range: string
  readonly rangeEdge: string
}

const LIGHT: Colors = {
  background: '#ffffff',
  axisBackground: '#fafafa',
  axisText: '#52525b',
  grid: 'rgba(24, 24, 27, 0.07)',
  bucket: '#a1a1aa',
  dimBucket: '#e4e4e7',
  critical: 'rgba(9, 9, 11, 0.78)',
  selected: '#4f46e5',
  hovered: 'rgba(9, 9, 11, 0.7)',
  range: 'rgba(99, 102, 241, 0.15)',
  rangeEdge: 'rgba(79, 70, 229, 0.8)',
}

const DARK: Colors = {
  background: '#09090b',
  axisBackground: '#18181b',
  axisText: '#a1a1aa',
  grid: 'rgba(244, 244, 245, 0.07)',
  bucket: '#52525b',
  dimBucket: '#27272a',
  critical: 'rgba(0, 0, 0, 0.8)',
  selected: '#a5b4fc',
  hovered: 'rgba(244, 244, 245, 0.8)',
  range: 'rgba(129, 140, 248, 0.2)',
  rangeEdge: 'rgba(165, 180, 252, 0.9)',
}

export function colorsFor(theme: FlameTheme): Colors {
  return theme === 'dark' ? DARK : LIGHT
}

/** A fill and the text colour that reads on it. */
export interface Swatch {
  readonly fill: string
  readonly text: string
  /** The fill faded into the theme's background, for spans a search does not match. */
  readonly dimFill: string
  readonly dimText: string
}

function swatchOf(fill: string, theme: FlameTheme): Swatch {
  const rgb = parseColor(fill)?.rgb()
  const background = colorsFor(theme).background
  // Opaque fades rather than transparency: overlapping parallel spans would stack into darker patches.
  const dimFill = interpolateRgb(fill, background)(0.78)
  const dimText = theme === 'dark' ? '#52525b' : '#a1a1aa'
  if (!rgb) return { fill, text: '#000', dimFill, dimText }
  // Relative luminance (sRGB approximation): dark text on light fills.
  const luminance = (0.2126 * rgb.r + 0.7152 * rgb.g + 0.0722 * rgb.b) / 255
  return { fill: rgb.formatHex(), text: luminance > 0.55 ? '#18181b' : '#fafafa', dimFill, dimText }
}

/** Service colours softened for the theme: lighter on white, deeper on black, so labels read. */
export function serviceSwatches(baseColors: readonly string[], theme: FlameTheme): Swatch[] {
  return baseColors.map((base) => swatchOf(interpolateRgb(base, theme === 'dark' ? '#000000' : '#ffffff')(theme === 'dark' ? 0.28 : 0.3), theme))
}

const heatSwatches: Partial<Record<FlameTheme, Swatch[]>> = {}
/** Self-time heat: pale yellow (little) to deep red (the span that holds the most time itself). */
function heatSwatch(selfNs: number, maxSelfNs: number, theme: FlameTheme): Swatch {
  const swatches = (heatSwatches[theme] ??= Array.from({ length: HEAT_STEPS }, (_, step) =>
    swatchOf(interpolateYlOrRd(0.08 + (0.9 * step) / (HEAT_STEPS - 1)), theme),
  ))
  // Square root: a span with a quarter of the largest self time is already half-way up the scale.
  const t = maxSelfNs > 0 ? Math.sqrt(Math.max(0, selfNs) / maxSelfNs) : 0
  return swatches[Math.min(HEAT_STEPS - 1, Math.round(t * (HEAT_STEPS - 1)))] as Swatch
}

const FALLBACK_SWATCH: Swatch = { fill: '#a1a1aa', text: '#18181b', dimFill: '#e4e4e7', dimText: '#a1a1aa' }

/** Reused between frames: draw lists and fitted labels. */
export class FlameScratch {
  readonly rows = new RowDrawList()
  readonly critical = new RowDrawList()
  private readonly labels = new Map<string, string>()
  private readonly widths = new Map<string, number>()

  /**
   * The text, shortened with an ellipsis to fit `maxWidthPx`; cached per text and 4 px step.
   * A miss guesses the length from the average character width and corrects it by a character
   * or two, instead of a binary search of measureText calls (labels change width every frame
   * while zooming).
   */
  fitLabel(ctx: CanvasRenderingContext2D, text: string, maxWidthPx: number): string {
    const step = Math.floor(maxWidthPx / 4)
    const key = `${step}\u0000${text}`
    const cached = this.labels.get(key)
    if (cached !== undefined) return cached
    if (this.labels.size > 20_000) this.labels.clear()
    const limit = step * 4
    const fullWidth = this.measure(ctx, text)
    let fitted: string
    if (fullWidth <= limit) fitted = text
    else {
      let length = Math.min(text.length - 1, Math.floor((limit / fullWidth) * text.length))
      while (length > 0 && this.measure(ctx, `${text.slice(0, length)}…`) > limit) length--
      while (length + 1 < text.length && this.measure(ctx, `${text.slice(0, length + 1)}…`) <= limit) length++
      fitted = length <= 0 ? '' : `${text.slice(0, length)}…`
    }
    this.labels.set(key, fitted)
    return fitted
  }

  private measure(ctx: CanvasRenderingContext2D, text: string): number {
    let width = this.widths.get(text)
    if (width === undefined) {
      if (this.widths.size > 50_000) this.widths.clear()
      width = ctx.measureText(text).width
      this.widths.set(text, width)
    }
    return width
  }
}

export function rowTopPx(row: number, topPx: number): number {
  return AXIS_HEIGHT_PX + row * ROW_HEIGHT_PX - topPx
}

/** Height of all rows plus the axis: what the vertical scroll ranges over. */
export function contentHeightPx(layout: FlameLayout): number {
  return AXIS_HEIGHT_PX + layout.rowCount * ROW_HEIGHT_PX + ROW_HEIGHT_PX
}

/** Draws the bars (culled, bucketed), the critical path and the time axis. */
export function drawFlame(ctx: CanvasRenderingContext2D, layout: FlameLayout, viewport: FlameViewport, options: FlameDrawOptions, scratch: FlameScratch): void {
  const colors = colorsFor(options.theme)
  const { widthPx, heightPx, topPx } = viewport
  ctx.fillStyle = colors.background
  ctx.fillRect(0, 0, widthPx, heightPx)
  drawGrid(ctx, viewport, colors)
  ctx.font = FONT
  ctx.textBaseline = 'middle'
  const swatches = options.serviceSwatches
  const firstRow = Math.max(0, Math.floor(topPx / ROW_HEIGHT_PX))
  const lastRow = Math.min(layout.rowCount - 1, Math.ceil((topPx + heightPx - AXIS_HEIGHT_PX) / ROW_HEIGHT_PX))
  const barHeight = ROW_HEIGHT_PX - BAR_GAP_PX
  for (let row = firstRow; row <= lastRow; row++) {
    const y = rowTopPx(row, topPx)
    const count = cullRow(layout, row, viewport, scratch.rows)
    const { x0, x1, item: items, count: counts } = scratch.rows
    for (let k = 0; k < count; k++) {
      const left = x0[k] as number
      const fullWidth = (x1[k] as number) - left
      // A one-pixel gap separates neighbours, except on slivers that would vanish.
      const width = Math.max(1, fullWidth > 3 ? fullWidth - BAR_GAP_PX : fullWidth)
      const item = items[k] as number
      const isBucket = (counts[k] as number) > 1
      // A bucket is dimmed unless its first item matches (buckets are a pixel wide: close enough).
      const isDimmed = options.matches !== undefined && !options.matches[item]
      if (isBucket) {
        ctx.fillStyle = isDimmed ? colors.dimBucket : colors.bucket
        ctx.fillRect(left, y, width, barHeight)
        continue
      }
      const swatch =
        options.colorMode === 'self'
          ? heatSwatch(layout.selfNs[item] as number, layout.maxSelfNs, options.theme)
          : (swatches[layout.serviceIndex[item] as number] ?? FALLBACK_SWATCH)
      ctx.fillStyle = isDimmed ? swatch.dimFill : swatch.fill
      ctx.fillRect(left, y, width, barHeight)
      if (options.showCritical && layout.mode === 'merged') {
        const share = (layout.criticalNs[item] as number) / Math.max(1, layout.totalNs[item] as number)
        if (share > 0) {
          ctx.fillStyle = colors.critical
          ctx.fillRect(left, y + barHeight - CRITICAL_BAND_PX, Math.max(1, width * Math.min(1, share)), CRITICAL_BAND_PX)
        }
      }
      if (width >= LABEL_MIN_PX) {
        const visibleLeft = Math.max(left, 0)
        const room = Math.min(left + width, widthPx) - visibleLeft - 2 * LABEL_PADDING_PX
        const label = room > 8 ? scratch.fitLabel(ctx, options.names[layout.nameIndex[item] as number] ?? '', room) : ''
        if (label !== '') {
          ctx.fillStyle = isDimmed ? swatch.dimText : swatch.text
          ctx.fillText(label, visibleLeft + LABEL_PADDING_PX, y + barHeight / 2 - (options.showCritical ? 1 : 0))
        }
      }
    }
    if (options.showCritical && layout.mode === 'time') {
      const segments = cullCriticalRow(layout, row, viewport, scratch.critical)
      ctx.fillStyle = colors.critical
      for (let k = 0; k < segments; k++) {
        const left = scratch.critical.x0[k] as number
        ctx.fillRect(left, y + barHeight - CRITICAL_BAND_PX, Math.max(1, (scratch.critical.x1[k] as number) - left), CRITICAL_BAND_PX)
      }
    }
  }
  drawAxis(ctx, viewport, colors)
}

/** Tick spacing: 1, 2 or 5 × 10^k ns, so that ticks are at least ~90 px apart. */
export function tickStepNs(spanNs: number, widthPx: number): number {
  if (!(spanNs > 0) || widthPx <= 0) return 1
  const raw = (spanNs / widthPx) * 90
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power
  return 10 * power
}

const TICK_UNITS: readonly (readonly [number, string])[] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
]

/**
 * A tick label with enough decimals to tell neighbouring ticks apart: "5.55 s" everywhere is no
 * use when zoomed to 20 ns steps, so that becomes "5.55012342 s". The unit is the value's own
 * (as `formatDurationNs` picks it), at most nine decimals.
 */
export function formatTickNs(valueNs: number, stepNs: number): string {
  if (valueNs === 0) return '0'
  const magnitude = Math.abs(valueNs)
  const [unitNs, unit] = TICK_UNITS.find(([size]) => magnitude >= size) ?? (TICK_UNITS[TICK_UNITS.length - 1] as readonly [number, string])
  if (magnitude >= 60e9 && stepNs >= 1e9) return formatDurationNs(valueNs)
  const decimals = Math.min(9, Math.max(0, Math.ceil(Math.log10(unitNs / stepNs) - 1e-9)))
  return `${(valueNs / unitNs).toFixed(decimals)} ${unit}`
}

function drawGrid(ctx: CanvasRenderingContext2D, viewport: FlameViewport, colors: Colors): void {
  const span = viewport.endX - viewport.startX
  const step = tickStepNs(span, viewport.widthPx)
  const scale = viewport.widthPx / span
  ctx.fillStyle = colors.grid
  for (let tick = Math.ceil(viewport.startX / step) * step; tick <= viewport.endX; tick += step) {
    ctx.fillRect(Math.round((tick - viewport.startX) * scale), AXIS_HEIGHT_PX, 1, viewport.heightPx - AXIS_HEIGHT_PX)
  }
}

function drawAxis(ctx: CanvasRenderingContext2D, viewport: FlameViewport, colors: Colors): void {
  const span = viewport.endX - viewport.startX
  const step = tickStepNs(span, viewport.widthPx)
  const scale = viewport.widthPx / span
  ctx.fillStyle = colors.axisBackground
  ctx.fillRect(0, 0, viewport.widthPx, AXIS_HEIGHT_PX)
  ctx.fillStyle = colors.grid
  ctx.fillRect(0, AXIS_HEIGHT_PX - 1, viewport.widthPx, 1)
  ctx.fillStyle = colors.axisText
  ctx.font = FONT
  ctx.textBaseline = 'middle'
  for (let tick = Math.ceil(viewport.startX / step) * step; tick <= viewport.endX; tick += step) {
    const x = Math.round((tick - viewport.startX) * scale)
    ctx.fillRect(x, AXIS_HEIGHT_PX - 5, 1, 4)
    ctx.fillText(formatTickNs(tick, step), x + 3, AXIS_HEIGHT_PX / 2 - 1)
  }
}

export interface FlameOverlay {
  readonly hoveredItem: number
  readonly selectedItem: number
  /** A drag-to-zoom range in view px, or undefined. */
  readonly rangePx: readonly [number, number] | undefined
}

/** Hover and selection outlines and the drag range, on the overlay canvas. */
export function drawFlameOverlay(ctx: CanvasRenderingContext2D, layout: FlameLayout, viewport: FlameViewport, overlay: FlameOverlay, theme: FlameTheme): void {
  const colors = colorsFor(theme)
  ctx.clearRect(0, 0, viewport.widthPx, viewport.heightPx)
  ctx.save()
  ctx.beginPath()
  ctx.rect(0, AXIS_HEIGHT_PX, viewport.widthPx, viewport.heightPx - AXIS_HEIGHT_PX)
  ctx.clip()
  const outline = (item: number, stroke: string, lineWidth: number) => {
    if (item < 0 || item >= layout.itemCount) return
    const scale = viewport.widthPx / (viewport.endX - viewport.startX)
    const x0 = Math.max(-2, ((layout.startX[item] as number) - viewport.startX) * scale)
    const x1 = Math.min(viewport.widthPx + 2, ((layout.endX[item] as number) - viewport.startX) * scale)
    if (x1 < -1 || x0 > viewport.widthPx + 1) return
    const y = rowTopPx(layout.depth[item] as number, viewport.topPx)
    ctx.strokeStyle = stroke
    ctx.lineWidth = lineWidth
    ctx.strokeRect(x0 + lineWidth / 2, y + lineWidth / 2, Math.max(1, x1 - x0 - lineWidth), ROW_HEIGHT_PX - 1 - lineWidth)
  }
  if (overlay.hoveredItem !== overlay.selectedItem) outline(overlay.hoveredItem, colors.hovered, 1)
  outline(overlay.selectedItem, colors.selected, 2)
  ctx.restore()
  if (overlay.rangePx) {
    const [a, b] = overlay.rangePx
    const left = Math.min(a, b)
    const width = Math.abs(b - a)
    ctx.fillStyle = colors.range
    ctx.fillRect(left, 0, width, viewport.heightPx)
    ctx.fillStyle = colors.rangeEdge
    ctx.fillRect(left, 0, 1, viewport.heightPx)
    ctx.fillRect(left + width, 0, 1, viewport.heightPx)
  }
}
