import { StatusCode } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import type { TimeWindow } from '../../state/waterfall-store.ts'
import { formatDurationNs } from '../../ui/format.ts'
import { RowKind } from './layout.ts'
import type { WaterfallLayout } from './layout.ts'
import type { MinimapBuckets } from './minimap-layout.ts'
import { summarizeDescendants, summarizeHiddenRun } from './trace-derived.ts'
import type { CriticalStrips } from './trace-derived.ts'

/**
 * Canvas drawing for the waterfall: no React, no store. Three coordinate spaces:
 *
 * - trace ns: offsets from the trace start (`startOffsetNs`); the zoom window is a range of them.
 * - view px: CSS pixels inside a canvas; x = (ns − window.startNs) · widthPx / (window.endNs −
 *   window.startNs); y of row r = r · rowHeightPx − scrollTopPx (rows scroll, the window zooms).
 * - device px: view px · devicePixelRatio. The caller sizes the backing store and sets the
 *   context transform once per frame (`prepareCanvas`), so the drawing code only sees view px.
 */

export const ROW_HEIGHT_PX = 24
const BAR_TOP_PX = 6
const BAR_HEIGHT_PX = 12
const STRIP_HEIGHT_PX = 4
const LABEL_FONT = '11px ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
const LABEL_GAP_PX = 4

export interface CanvasTheme {
  readonly grid: string
  readonly label: string
  readonly labelOnBar: string
  readonly criticalStrip: string
  readonly eventTick: string
  readonly error: string
  readonly match: string
  readonly currentMatch: string
  readonly ghost: string
  readonly hiddenRun: string
  readonly hoverBand: string
  readonly selectionBand: string
  readonly selectionOutline: string
  readonly cursor: string
  readonly minimapShade: string
  readonly minimapWindow: string
  readonly minimapHandle: string
}

export const LIGHT_CANVAS_THEME: CanvasTheme = {
  grid: 'rgba(113, 113, 122, 0.18)',
  label: '#3f3f46',
  labelOnBar: '#ffffff',
  criticalStrip: 'rgba(9, 9, 11, 0.62)',
  eventTick: '#18181b',
  error: '#dc2626',
  match: '#f59e0b',
  currentMatch: '#ea580c',
  ghost: 'rgba(113, 113, 122, 0.22)',
  hiddenRun: 'rgba(113, 113, 122, 0.16)',
  hoverBand: 'rgba(99, 102, 241, 0.07)',
  selectionBand: 'rgba(99, 102, 241, 0.14)',
  selectionOutline: '#4f46e5',
  cursor: 'rgba(79, 70, 229, 0.6)',
  minimapShade: 'rgba(244, 244, 245, 0.72)',
  minimapWindow: '#4f46e5',
  minimapHandle: '#4f46e5',
}

export const DARK_CANVAS_THEME: CanvasTheme = {
  grid: 'rgba(161, 161, 170, 0.16)',
  label: '#d4d4d8',
  labelOnBar: '#ffffff',
  criticalStrip: 'rgba(0, 0, 0, 0.7)',
  eventTick: '#fafafa',
  error: '#f87171',
  match: '#fbbf24',
  currentMatch: '#fb923c',
  ghost: 'rgba(161, 161, 170, 0.22)',
  hiddenRun: 'rgba(161, 161, 170, 0.14)',
  hoverBand: 'rgba(129, 140, 248, 0.09)',
  selectionBand: 'rgba(129, 140, 248, 0.2)',
  selectionOutline: '#a5b4fc',
  cursor: 'rgba(165, 180, 252, 0.6)',
  minimapShade: 'rgba(9, 9, 11, 0.62)',
  minimapWindow: '#818cf8',
  minimapHandle: '#a5b4fc',
}

/**
 * Sizes the backing store to the element at the device pixel ratio and maps view px onto it.
 * Returns the context, or undefined when the canvas has no size yet.
 */
export function prepareCanvas(canvas: HTMLCanvasElement, widthPx: number, heightPx: number): CanvasRenderingContext2D | undefined {
  const ratio = window.devicePixelRatio || 1
  const deviceWidth = Math.max(1, Math.round(widthPx * ratio))
  const deviceHeight = Math.max(1, Math.round(heightPx * ratio))
  if (canvas.width !== deviceWidth) canvas.width = deviceWidth
  if (canvas.height !== deviceHeight) canvas.height = deviceHeight
  const context = canvas.getContext('2d')
  if (!context) return undefined
  context.setTransform(ratio, 0, 0, ratio, 0, 0)
  context.clearRect(0, 0, widthPx, heightPx)
  return context
}

/** Text widths by string for one font, so labels are measured once (speedscope's text-utils does the same). */
export class TextWidthCache {
  private readonly widths = new Map<string, number>()

  measure(context: CanvasRenderingContext2D, text: string): number {
    let width = this.widths.get(text)
    if (width === undefined) {
      width = context.measureText(text).width
      if (this.widths.size > 5000) this.widths.clear()
      this.widths.set(text, width)
    }
    return width
  }
}

export interface TimelineScene {
  readonly trace: Trace
  readonly layout: WaterfallLayout
  readonly widthPx: number
  readonly heightPx: number
  readonly scrollTopPx: number
  readonly window: TimeWindow
  readonly ticksNs: readonly number[]
  /** By service index. */
  readonly serviceColors: readonly string[]
  readonly collapsed: ReadonlySet<number>
  /** 1 per matching span; undefined when there is no search. */
  readonly matches: Uint8Array | undefined
  readonly currentMatch: number | undefined
  readonly critical: CriticalStrips | undefined
  readonly theme: CanvasTheme
}

/** The rows that intersect the canvas: [first, end). */
export function visibleRowRange(rowCount: number, scrollTopPx: number, heightPx: number): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTopPx / ROW_HEIGHT_PX))
  const end = Math.min(rowCount, Math.ceil((scrollTopPx + heightPx) / ROW_HEIGHT_PX))
  return { first, end: Math.max(first, end) }
}

export function drawTimeline(context: CanvasRenderingContext2D, scene: TimelineScene, textWidths: TextWidthCache): void {
  const { trace, layout, widthPx, heightPx, scrollTopPx, window, theme } = scene
  const pxPerNs = widthPx / Math.max(1e-9, window.endNs - window.startNs)
  const xOf = (ns: number) => (ns - window.startNs) * pxPerNs

  // Grid lines at the ruler's ticks, under everything.
  context.fillStyle = theme.grid
  for (const tickNs of scene.ticksNs) context.fillRect(Math.round(xOf(tickNs)), 0, 1, heightPx)

  context.font = LABEL_FONT
  context.textBaseline = 'middle'
  const { first, end } = visibleRowRange(layout.rows.length, scrollTopPx, heightPx)
  for (let row = first; row < end; row++) {
    const index = layout.rows[row] as number
    const rowTop = row * ROW_HEIGHT_PX - scrollTopPx
    const barTop = rowTop + BAR_TOP_PX
    if (layout.kinds[row] === RowKind.Hidden) {
      const summary = summarizeHiddenRun(trace, index, layout.hiddenEnd.get(index) ?? index + 1)
      const x0 = Math.max(-2, xOf(summary.startNs))
      const x1 = Math.min(widthPx + 2, xOf(summary.endNs))
      if (x1 >= 0 && x0 <= widthPx) drawHatched(context, x0, barTop, Math.max(1, x1 - x0), BAR_HEIGHT_PX, theme.hiddenRun)
      continue
    }

    const startNs = trace.startOffsetNs[index] as number
    const durationNs = trace.durationsNs[index] as number
    const x0 = xOf(startNs)
    const x1 = xOf(startNs + durationNs)
    const isCollapsed = scene.collapsed.has(index) && (trace.subtreeEnd[index] as number) > index + 1
    const isError = trace.status[index] === StatusCode.Error
    let labelEndPx = x1

    if (isCollapsed) {
      // The hidden descendants' extent, behind the bar.
      const summary = summarizeDescendants(trace, index)
      const g0 = Math.max(-2, xOf(summary.startNs))
      const g1 = Math.min(widthPx + 2, xOf(summary.endNs))
      if (g1 > g0) {
        context.fillStyle = theme.ghost
        context.fillRect(g0, barTop - 2, g1 - g0, BAR_HEIGHT_PX + 4)
        labelEndPx = Math.max(labelEndPx, g1)
      }
      if (summary.errorCount > 0 && g1 >= 0 && g0 <= widthPx) {
        context.fillStyle = theme.error
        context.beginPath()
        context.arc(Math.min(Math.max(g1, 3), widthPx - 3), barTop - 1, 3, 0, Math.PI * 2)
        context.fill()
      }
    }

    // Off-screen bars still get their label at the edge they point to.
    const isVisible = x1 >= 0 && x0 <= widthPx
    const left = Math.max(-2, x0)
    const right = Math.min(widthPx + 2, Math.max(x1, x0 + 1))
    const barWidth = Math.max(1, right - left)
    if (isVisible) {
      context.fillStyle = scene.serviceColors[trace.serviceIndex[index] as number] ?? '#71717a'
      context.fillRect(left, barTop, barWidth, BAR_HEIGHT_PX)

      const critical = scene.critical
      if (critical) {
        const from = critical.segmentOffset[index] as number
        const to = critical.segmentOffset[index + 1] as number
        context.fillStyle = theme.criticalStrip
        for (let k = from; k < to; k++) {
          const segment = critical.segmentOrder[k] as number
          const s0 = Math.max(left, xOf(critical.path.segmentStartNs[segment] as number))
          const s1 = Math.min(right, xOf(critical.path.segmentEndNs[segment] as number))
          if (s1 > s0) context.fillRect(s0, barTop + (BAR_HEIGHT_PX - STRIP_HEIGHT_PX) / 2, Math.max(1, s1 - s0), STRIP_HEIGHT_PX)
        }
      }

      const span = trace.spans[index]
      if (span && span.events.length > 0) {
        // Relative to the span's own start, so events follow a span that clock-skew adjustment moved.
        const spanStartNs = span.startTimeNs
        for (const event of span.events) {
          const x = xOf(spanStartNs === undefined ? Number(event.timeNs - trace.startTimeNs) : startNs + Number(event.timeNs - spanStartNs))
          if (x < -1 || x > widthPx + 1) continue
          const isException = event.name === 'exception' || event.name === 'error'
          context.fillStyle = isException ? theme.error : theme.eventTick
          context.fillRect(Math.round(x) - 0.75, barTop - 3, 1.5, BAR_HEIGHT_PX + 6)
        }
      }

      if (isError) {
        context.strokeStyle = theme.error
        context.lineWidth = 2
        context.strokeRect(left + 1, barTop + 1, Math.max(0, barWidth - 2), BAR_HEIGHT_PX - 2)
        // A notch at the end, visible even on a one-pixel bar.
        context.fillStyle = theme.error
        context.beginPath()
        context.moveTo(right, barTop - 3)
        context.lineTo(right + 5, barTop - 3)
        context.lineTo(right, barTop + 4)
        context.closePath()
        context.fill()
      }

      if (scene.matches?.[index] === 1) {
        const isCurrent = scene.currentMatch === index
        context.strokeStyle = isCurrent ? theme.currentMatch : theme.match
        context.lineWidth = isCurrent ? 3 : 2
        context.strokeRect(left - 2, barTop - 2, barWidth + 4, BAR_HEIGHT_PX + 4)
      }
    }

    // The duration label: after the bar, else before it, else inside it.
    let label = formatDurationNs(durationNs)
    if (isCollapsed && scene.critical) {
      const total = scene.critical.path.subtreeCriticalNs[index] as number
      if (durationNs > 0 && total > 0) label += ` · ${Math.round((100 * Math.min(total, durationNs)) / durationNs)}% critical`
    }
    const textWidth = textWidths.measure(context, label)
    const textY = barTop + BAR_HEIGHT_PX / 2
    if (labelEndPx + LABEL_GAP_PX + textWidth <= widthPx && labelEndPx >= -LABEL_GAP_PX) {
      context.fillStyle = theme.label
      context.textAlign = 'left'
      context.fillText(label, Math.max(LABEL_GAP_PX, labelEndPx + LABEL_GAP_PX), textY)
    } else if (x0 - LABEL_GAP_PX - textWidth >= 0 && x0 <= widthPx) {
      context.fillStyle = theme.label
      context.textAlign = 'right'
      context.fillText(label, x0 - LABEL_GAP_PX, textY)
    } else if (barWidth >= textWidth + 2 * LABEL_GAP_PX) {
      context.fillStyle = theme.labelOnBar
      context.textAlign = 'right'
      context.fillText(label, Math.min(right, widthPx) - LABEL_GAP_PX, textY)
    } else if (x0 > widthPx) {
      // The bar is right of the window: say where it is.
      context.fillStyle = theme.label
      context.textAlign = 'right'
      context.fillText(`${label} →`, widthPx - LABEL_GAP_PX, textY)
    } else if (x1 < 0) {
      context.fillStyle = theme.label
      context.textAlign = 'left'
      context.fillText(`← ${label}`, LABEL_GAP_PX, textY)
    }
  }
  context.textAlign = 'left'
}

function drawHatched(context: CanvasRenderingContext2D, x: number, y: number, width: number, height: number, color: string): void {
  context.save()
  context.beginPath()
  context.rect(x, y, width, height)
  context.clip()
  context.fillStyle = color
  context.fillRect(x, y, width, height)
  context.strokeStyle = color
  context.lineWidth = 2
  context.beginPath()
  for (let stripe = x - height; stripe < x + width; stripe += 6) {
    context.moveTo(stripe, y + height)
    context.lineTo(stripe + height, y)
  }
  context.stroke()
  context.restore()
}

export interface OverlayScene {
  readonly widthPx: number
  readonly heightPx: number
  readonly scrollTopPx: number
  readonly hoverRow: number | undefined
  readonly selectedRow: number | undefined
  /** The pointer's x in view px, for the time cursor, with its label. */
  readonly cursorX: number | undefined
  readonly cursorLabel: string | undefined
  readonly theme: CanvasTheme
}

/** Hover and selection bands and the time cursor, redrawn without touching the bars. */
export function drawOverlay(context: CanvasRenderingContext2D, scene: OverlayScene, textWidths: TextWidthCache): void {
  const { widthPx, heightPx, scrollTopPx, theme } = scene
  if (scene.selectedRow !== undefined) {
    const y = scene.selectedRow * ROW_HEIGHT_PX - scrollTopPx
    if (y > -ROW_HEIGHT_PX && y < heightPx) {
      context.fillStyle = theme.selectionBand
      context.fillRect(0, y, widthPx, ROW_HEIGHT_PX)
      context.fillStyle = theme.selectionOutline
      context.fillRect(0, y, widthPx, 1)
      context.fillRect(0, y + ROW_HEIGHT_PX - 1, widthPx, 1)
    }
  }
  if (scene.hoverRow !== undefined && scene.hoverRow !== scene.selectedRow) {
    const y = scene.hoverRow * ROW_HEIGHT_PX - scrollTopPx
    context.fillStyle = theme.hoverBand
    context.fillRect(0, y, widthPx, ROW_HEIGHT_PX)
  }
  if (scene.cursorX !== undefined) {
    const x = Math.round(scene.cursorX) + 0.5
    context.fillStyle = theme.cursor
    context.fillRect(x - 0.5, 0, 1, heightPx)
    if (scene.cursorLabel) {
      context.font = LABEL_FONT
      context.textBaseline = 'top'
      const width = textWidths.measure(context, scene.cursorLabel) + 8
      const boxX = x + width + 4 > widthPx ? x - width - 4 : x + 4
      context.fillStyle = theme.selectionOutline
      context.fillRect(boxX, 2, width, 16)
      context.fillStyle = '#ffffff'
      context.textAlign = 'left'
      context.fillText(scene.cursorLabel, boxX + 4, 4)
    }
  }
}

/** "#6366f1" → [99, 102, 241]. */
function parseHexColor(color: string): readonly [number, number, number] {
  const match = /^#([0-9a-f]{6})$/i.exec(color)
  if (!match) return [113, 113, 122]
  const value = parseInt(match[1] as string, 16)
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255]
}

/**
 * The minimap's picture, one device pixel per bucket cell: a band's service colour, opaque
 * where many spans run, red where errors run. Drawn once per trace, size and theme.
 */
export function paintMinimapImage(buckets: MinimapBuckets, serviceColors: readonly string[], errorColor: string): ImageData {
  const { columns, bands, counts, errors, maxCount, bandService } = buckets
  const image = new ImageData(columns, bands)
  const pixels = image.data
  const error = parseHexColor(errorColor)
  const rgbByService = serviceColors.map(parseHexColor)
  const logMax = Math.log1p(Math.max(1, maxCount))
  for (let b = 0; b < bands; b++) {
    const rgb = rgbByService[bandService[b] as number] ?? ([113, 113, 122] as const)
    for (let c = 0; c < columns; c++) {
      const cell = b * columns + c
      const count = counts[cell] as number
      if (count === 0) continue
      const color = (errors[cell] as number) > 0 ? error : rgb
      const alpha = 0.45 + (0.55 * Math.log1p(count)) / logMax
      const p = cell * 4
      pixels[p] = color[0]
      pixels[p + 1] = color[1]
      pixels[p + 2] = color[2]
      pixels[p + 3] = Math.round(alpha * 255)
    }
  }
  return image
}

export interface MinimapScene {
  readonly widthPx: number
  readonly heightPx: number
  readonly image: CanvasImageSource | undefined
  /** The window in view px of the minimap. */
  readonly windowX0: number
  readonly windowX1: number
  readonly isWholeTrace: boolean
  /** Ticks in view px, for faint grid lines. */
  readonly ticksPx: readonly number[]
  readonly theme: CanvasTheme
}

export const MINIMAP_HANDLE_PX = 6

export function drawMinimap(context: CanvasRenderingContext2D, scene: MinimapScene): void {
  const { widthPx, heightPx, theme } = scene
  context.fillStyle = theme.grid
  for (const x of scene.ticksPx) context.fillRect(Math.round(x), 0, 1, heightPx)
  if (scene.image) {
    context.imageSmoothingEnabled = false
    context.drawImage(scene.image, 0, 0, widthPx, heightPx)
  }
  if (scene.isWholeTrace) return
  const x0 = Math.max(0, scene.windowX0)
  const x1 = Math.min(widthPx, Math.max(scene.windowX1, x0 + 1))
  context.fillStyle = theme.minimapShade
  context.fillRect(0, 0, x0, heightPx)
  context.fillRect(x1, 0, widthPx - x1, heightPx)
  context.strokeStyle = theme.minimapWindow
  context.lineWidth = 1.5
  context.strokeRect(x0 + 0.75, 0.75, Math.max(0, x1 - x0 - 1.5), heightPx - 1.5)
  context.fillStyle = theme.minimapHandle
  const handleHeight = Math.min(22, heightPx - 8)
  const handleTop = (heightPx - handleHeight) / 2
  context.fillRect(x0 - (x0 < MINIMAP_HANDLE_PX / 2 ? 0 : MINIMAP_HANDLE_PX / 2), handleTop, MINIMAP_HANDLE_PX / 2 + 1, handleHeight)
  context.fillRect(x1 - (x1 > widthPx - MINIMAP_HANDLE_PX / 2 ? MINIMAP_HANDLE_PX / 2 + 1 : 1), handleTop, MINIMAP_HANDLE_PX / 2 + 1, handleHeight)
}
