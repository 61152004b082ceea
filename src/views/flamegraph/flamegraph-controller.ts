import { hitTestRow } from './layout.ts'
import type { FlameLayout } from './layout.ts'
import { AXIS_HEIGHT_PX, contentHeightPx, drawFlame, drawFlameOverlay, FlameScratch, ROW_HEIGHT_PX } from './renderer.ts'
import type { FlameDrawOptions, FlameViewport } from './renderer.ts'

/** What the pointer is over, for the tooltip: the item and where the pointer is in view px. */
export interface FlameHover {
  readonly item: number
  readonly xPx: number
  readonly yPx: number
}

export interface FlameCallbacks {
  onHover(hover: FlameHover | undefined): void
  /** A click on an item (or on nothing: -1). */
  onSelect(item: number): void
  /** After every paint of the bars, with the window painted; the shell uses the first for `data-ready`. */
  onPainted(window: { readonly startX: number; readonly endX: number }): void
}

/** Pointer travel (px) under which a press and release is a click, not a drag. */
const CLICK_SLOP_PX = 3
/** The narrowest window, in ns: a nanosecond-level span still fills the screen. */
const MIN_WINDOW_NS = 10
const WHEEL_ZOOM_PER_PX = 0.0025

type Drag =
  | {
      readonly kind: 'pan'
      readonly fromXPx: number
      readonly fromYPx: number
      readonly startX: number
      readonly endX: number
      readonly topPx: number
      moved: boolean
    }
  | { readonly kind: 'range'; readonly fromXPx: number; toXPx: number; moved: boolean }

/**
 * The flame graph's imperative half: owns the two canvases, the viewport (layout x window plus
 * vertical scroll) and the pointer gestures, and paints at most once per animation frame. The
 * React shell creates one per mount and feeds it layout, options and selection.
 *
 * Gestures: wheel zooms around the pointer (shift+wheel scrolls rows, a horizontal wheel pans);
 * drag pans; shift+drag, or a drag on the time axis, selects a range to zoom to; double-click
 * focuses an item; click selects. Keys: arrows pan/scroll, + and - zoom, 0 resets.
 */
export class FlameController {
  private main: HTMLCanvasElement | undefined
  private overlay: HTMLCanvasElement | undefined
  private layout: FlameLayout | undefined
  private options: FlameDrawOptions | undefined
  private readonly scratch = new FlameScratch()
  private widthPx = 0
  private heightPx = 0
  private dpr = 1
  private startX = 0
  private endX = 1
  private topPx = 0
  private hoveredItem = -1
  private selectedItem = -1
  private drag: Drag | undefined
  private barsFrame = 0
  private overlayFrame = 0
  private isBarsDirty = false

  private callbacks: FlameCallbacks = { onHover: () => {}, onSelect: () => {}, onPainted: () => {} }

  setCallbacks(callbacks: FlameCallbacks): void {
    this.callbacks = callbacks
  }

  attach(main: HTMLCanvasElement, overlay: HTMLCanvasElement): void {
    this.main = main
    this.overlay = overlay
    this.requestPaint()
  }

  detach(): void {
    cancelAnimationFrame(this.barsFrame)
    cancelAnimationFrame(this.overlayFrame)
    this.barsFrame = 0
    this.overlayFrame = 0
    this.main = undefined
    this.overlay = undefined
  }

  resize(widthPx: number, heightPx: number, dpr: number): void {
    if (widthPx === this.widthPx && heightPx === this.heightPx && dpr === this.dpr) return
    this.widthPx = widthPx
    this.heightPx = heightPx
    this.dpr = dpr
    for (const canvas of [this.main, this.overlay]) {
      if (!canvas) continue
      canvas.width = Math.max(1, Math.round(widthPx * dpr))
      canvas.height = Math.max(1, Math.round(heightPx * dpr))
    }
    this.clampTop()
    this.requestPaint()
  }

  setLayout(layout: FlameLayout): void {
    if (layout === this.layout) return
    this.layout = layout
    this.hoveredItem = -1
    this.callbacks.onHover(undefined)
    this.resetView()
  }

  setOptions(options: FlameDrawOptions): void {
    this.options = options
    this.requestPaint()
  }

  /** The selected item; when `shouldReveal`, scrolls and pans (keeping the zoom) to show it. */
  setSelectedItem(item: number, shouldReveal: boolean): void {
    this.selectedItem = item
    if (shouldReveal && this.layout && item >= 0 && item < this.layout.itemCount) {
      const span = this.endX - this.startX
      const itemStart = this.layout.startX[item] as number
      const itemEnd = this.layout.endX[item] as number
      if (itemEnd < this.startX || itemStart > this.endX) this.setWindow((itemStart + itemEnd) / 2 - span / 2, (itemStart + itemEnd) / 2 + span / 2)
      this.revealRow(this.layout.depth[item] as number)
      this.requestPaint()
    } else {
      this.requestOverlay()
    }
  }

  resetView(): void {
    const layout = this.layout
    this.startX = layout?.minX ?? 0
    this.endX = layout && layout.maxX > layout.minX ? layout.maxX : this.startX + 1
    this.topPx = 0
    this.requestPaint()
  }

  /** Zooms to an item (with a little room either side) and scrolls its row into view. */
  focusItem(item: number): void {
    const layout = this.layout
    if (!layout || item < 0 || item >= layout.itemCount) return
    const itemStart = layout.startX[item] as number
    const itemEnd = layout.endX[item] as number
    const margin = Math.max((itemEnd - itemStart) * 0.04, MIN_WINDOW_NS / 2)
    this.setWindow(itemStart - margin, itemEnd + margin)
    this.revealRow(layout.depth[item] as number)
    this.requestPaint()
  }

  zoomAt(xPx: number, factor: number): void {
    const span = this.endX - this.startX
    const anchor = this.startX + (xPx / Math.max(1, this.widthPx)) * span
    const nextSpan = span * factor
    this.setWindow(anchor - (anchor - this.startX) * factor, anchor - (anchor - this.startX) * factor + nextSpan)
    this.requestPaint()
  }

  panByPx(dxPx: number, dyPx: number): void {
    const span = this.endX - this.startX
    const dx = (dxPx / Math.max(1, this.widthPx)) * span
    this.setWindow(this.startX + dx, this.endX + dx)
    this.topPx += dyPx
    this.clampTop()
    this.requestPaint()
  }

  // --- pointer and keyboard -------------------------------------------------------------------

  pointerDown(event: PointerEvent): void {
    if (event.button !== 0) return
    const { xPx, yPx } = this.localPoint(event)
    const isRange = event.shiftKey || yPx < AXIS_HEIGHT_PX
    this.drag = isRange
      ? { kind: 'range', fromXPx: xPx, toXPx: xPx, moved: false }
      : { kind: 'pan', fromXPx: xPx, fromYPx: yPx, startX: this.startX, endX: this.endX, topPx: this.topPx, moved: false }
    this.overlay?.setPointerCapture?.(event.pointerId)
  }

  pointerMove(event: PointerEvent): void {
    const { xPx, yPx } = this.localPoint(event)
    const drag = this.drag
    if (drag) {
      if (drag.kind === 'pan') {
        drag.moved ||= Math.abs(xPx - drag.fromXPx) + Math.abs(yPx - drag.fromYPx) > CLICK_SLOP_PX
        if (!drag.moved) return
        const span = drag.endX - drag.startX
        const dx = ((drag.fromXPx - xPx) / Math.max(1, this.widthPx)) * span
        this.setWindow(drag.startX + dx, drag.endX + dx)
        this.topPx = drag.topPx + (drag.fromYPx - yPx)
        this.clampTop()
        this.setHover(undefined)
        this.requestPaint()
      } else {
        drag.toXPx = xPx
        drag.moved ||= Math.abs(xPx - drag.fromXPx) > CLICK_SLOP_PX
        this.requestOverlay()
      }
      return
    }
    const item = this.itemAt(xPx, yPx)
    this.setHover(item < 0 ? undefined : { item, xPx, yPx })
  }

  pointerUp(event: PointerEvent): void {
    const drag = this.drag
    this.drag = undefined
    this.overlay?.releasePointerCapture?.(event.pointerId)
    if (!drag) return
    const { xPx, yPx } = this.localPoint(event)
    if (drag.kind === 'range' && drag.moved) {
      const scale = (this.endX - this.startX) / Math.max(1, this.widthPx)
      const from = this.startX + Math.min(drag.fromXPx, xPx) * scale
      const to = this.startX + Math.max(drag.fromXPx, xPx) * scale
      this.setWindow(from, to)
      this.requestPaint()
      return
    }
    if (drag.moved) return
    this.requestOverlay()
    this.callbacks.onSelect(this.itemAt(xPx, yPx))
  }

  pointerLeave(): void {
    if (!this.drag) this.setHover(undefined)
  }

  doubleClick(event: MouseEvent): void {
    const { xPx, yPx } = this.localPoint(event)
    const item = this.itemAt(xPx, yPx)
    if (item >= 0) this.focusItem(item)
  }

  wheel(event: WheelEvent): void {
    event.preventDefault()
    const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? this.heightPx : 1
    const dx = event.deltaX * unit
    const dy = event.deltaY * unit
    const { xPx } = this.localPoint(event)
    if (event.shiftKey) this.panByPx(0, dy || dx)
    else if (Math.abs(dx) > Math.abs(dy)) this.panByPx(dx, 0)
    else this.zoomAt(xPx, Math.exp(dy * WHEEL_ZOOM_PER_PX))
    this.setHover(undefined)
  }

  /** Returns true when the key was handled. */
  keyDown(event: KeyboardEvent): boolean {
    switch (event.key) {
      case 'ArrowLeft':
        this.panByPx(-this.widthPx / 10, 0)
        return true
      case 'ArrowRight':
        this.panByPx(this.widthPx / 10, 0)
        return true
      case 'ArrowUp':
        this.panByPx(0, -ROW_HEIGHT_PX * 3)
        return true
      case 'ArrowDown':
        this.panByPx(0, ROW_HEIGHT_PX * 3)
        return true
      case '+':
      case '=':
        this.zoomAt(this.widthPx / 2, 0.7)
        return true
      case '-':
      case '_':
        this.zoomAt(this.widthPx / 2, 1 / 0.7)
        return true
      case '0':
        this.resetView()
        return true
      default:
        return false
    }
  }

  /** The item under a point in view px, or -1. */
  itemAt(xPx: number, yPx: number): number {
    const layout = this.layout
    if (!layout || yPx < AXIS_HEIGHT_PX || this.widthPx <= 0) return -1
    const row = Math.floor((yPx - AXIS_HEIGHT_PX + this.topPx) / ROW_HEIGHT_PX)
    const scale = (this.endX - this.startX) / this.widthPx
    return hitTestRow(layout, row, this.startX + xPx * scale, 2 * scale)
  }

  /** The visible window in layout x (for tests and the toolbar). */
  viewWindow(): { readonly startX: number; readonly endX: number; readonly topPx: number } {
    return { startX: this.startX, endX: this.endX, topPx: this.topPx }
  }

  // --- internals --------------------------------------------------------------------------------

  private localPoint(event: MouseEvent): { xPx: number; yPx: number } {
    const rect = this.overlay?.getBoundingClientRect()
    return { xPx: event.clientX - (rect?.left ?? 0), yPx: event.clientY - (rect?.top ?? 0) }
  }

  private setHover(hover: FlameHover | undefined): void {
    const item = hover?.item ?? -1
    if (item !== this.hoveredItem) {
      this.hoveredItem = item
      this.requestOverlay()
    }
    this.callbacks.onHover(hover)
  }

  /** Sets the window, kept inside the layout's extent and at least `MIN_WINDOW_NS` wide. */
  private setWindow(startX: number, endX: number): void {
    const layout = this.layout
    const minX = layout?.minX ?? 0
    const maxX = layout && layout.maxX > minX ? layout.maxX : minX + 1
    let width = Math.min(Math.max(endX - startX, Math.min(MIN_WINDOW_NS, maxX - minX)), maxX - minX)
    if (!Number.isFinite(width) || width <= 0) width = maxX - minX
    const start = Math.min(Math.max(Number.isFinite(startX) ? startX : minX, minX), maxX - width)
    this.startX = start
    this.endX = start + width
  }

  private revealRow(row: number): void {
    const top = row * ROW_HEIGHT_PX
    const visibleRows = this.heightPx - AXIS_HEIGHT_PX
    if (top < this.topPx || top + ROW_HEIGHT_PX > this.topPx + visibleRows) {
      // Put the row a third of the way down, so that some ancestors show above it.
      this.topPx = top - visibleRows / 3
      this.clampTop()
    }
  }

  private clampTop(): void {
    const maxTop = this.layout ? Math.max(0, contentHeightPx(this.layout) - this.heightPx) : 0
    this.topPx = Math.min(Math.max(0, this.topPx), maxTop)
  }

  private viewport(): FlameViewport {
    return { startX: this.startX, endX: this.endX, widthPx: this.widthPx, heightPx: this.heightPx, topPx: this.topPx }
  }

  private requestPaint(): void {
    this.isBarsDirty = true
    if (this.barsFrame === 0) this.barsFrame = requestAnimationFrame(() => this.paint())
  }

  private requestOverlay(): void {
    if (this.overlayFrame === 0 && this.barsFrame === 0) this.overlayFrame = requestAnimationFrame(() => this.paint())
  }

  private paint(): void {
    this.barsFrame = 0
    this.overlayFrame = 0
    const { layout, options } = this
    if (!layout || !options || this.widthPx <= 0 || this.heightPx <= 0) return
    const viewport = this.viewport()
    if (this.isBarsDirty && this.main) {
      this.isBarsDirty = false
      const ctx = this.main.getContext('2d')
      if (ctx) {
        ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0)
        drawFlame(ctx, layout, viewport, options, this.scratch)
        this.callbacks.onPainted(viewport)
      }
    }
    const overlayCtx = this.overlay?.getContext('2d')
    if (overlayCtx) {
      overlayCtx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0)
      const drag = this.drag
      drawFlameOverlay(
        overlayCtx,
        layout,
        viewport,
        {
          hoveredItem: this.hoveredItem,
          selectedItem: this.selectedItem,
          rangePx: drag?.kind === 'range' && drag.moved ? [drag.fromXPx, drag.toXPx] : undefined,
        },
        options.theme,
      )
    }
  }
}
