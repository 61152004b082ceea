import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { PointerEvent as ReactPointerEvent } from 'react'
import type { Trace } from '../../model/trace.ts'
import type { TimeWindow } from '../../state/waterfall-store.ts'
import { bucketSpans } from './minimap-layout.ts'
import { drawMinimap, MINIMAP_HANDLE_PX, paintMinimapImage, prepareCanvas } from './renderer.ts'
import type { CanvasTheme } from './renderer.ts'
import { chooseRulerTicks } from './ruler.ts'
import { clampWindow, zoomWindow } from './zoom.ts'

interface MinimapProps {
  readonly trace: Trace
  /** The visible window (the whole trace when not zoomed). */
  readonly window: TimeWindow
  readonly isZoomed: boolean
  readonly widthPx: number
  readonly heightPx: number
  readonly serviceColors: readonly string[]
  readonly theme: CanvasTheme
  /** Device pixels per view px: the bucket grid is one cell per device pixel. */
  readonly pixelRatio: number
  readonly onWindowChange: (window: TimeWindow | undefined) => void
}

type Drag =
  | { readonly mode: 'select'; readonly originNs: number; readonly hasMoved: boolean }
  | { readonly mode: 'pan'; readonly originNs: number; readonly window: TimeWindow; readonly hasMoved: boolean }
  | { readonly mode: 'resize-start' | 'resize-end'; readonly window: TimeWindow; readonly hasMoved: boolean }

const DRAG_THRESHOLD_PX = 3

/**
 * The whole trace in miniature (canvas), with the zoom window on top. Drag on empty space to
 * select a window, drag the window to pan, drag its edges to resize, click to centre the window
 * there, double-click or 0 to reset, wheel to zoom around the pointer.
 *
 * Spans are bucketed into pixel cells once per trace and size (`bucketSpans`), so a million
 * spans cost one pass; moving the window only redraws the cached image and the frame.
 */
export function Minimap({ trace, window, isZoomed, widthPx, heightPx, serviceColors, theme, pixelRatio, onWindowChange }: MinimapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const dragRef = useRef<Drag | undefined>(undefined)
  const [cursor, setCursor] = useState('crosshair')
  const deviceWidth = Math.max(1, Math.round(widthPx * pixelRatio))
  const deviceHeight = Math.max(1, Math.round(heightPx * pixelRatio))

  const image = useMemo(() => {
    if (widthPx <= 0 || heightPx <= 0) return undefined
    const buckets = bucketSpans(trace, deviceWidth, deviceHeight)
    const picture = document.createElement('canvas')
    picture.width = buckets.columns
    picture.height = buckets.bands
    picture.getContext('2d')?.putImageData(paintMinimapImage(buckets, serviceColors, theme.error), 0, 0)
    return picture
  }, [trace, deviceWidth, deviceHeight, widthPx, heightPx, serviceColors, theme.error])

  const durationNs = Math.max(trace.durationNs, 1)
  const pxPerNs = widthPx / durationNs
  const ticksPx = useMemo(() => chooseRulerTicks(0, durationNs, widthPx, 90).ticksNs.map((ns) => ns * (widthPx / durationNs)), [durationNs, widthPx])

  useLayoutEffect(() => {
    const canvas = canvasRef.current
    if (!canvas || widthPx <= 0) return
    const frame = requestAnimationFrame(() => {
      const context = prepareCanvas(canvas, widthPx, heightPx)
      if (!context) return
      drawMinimap(context, {
        widthPx,
        heightPx,
        image,
        windowX0: window.startNs * pxPerNs,
        windowX1: window.endNs * pxPerNs,
        isWholeTrace: !isZoomed,
        ticksPx,
        theme,
      })
    })
    return () => cancelAnimationFrame(frame)
  }, [image, window, isZoomed, widthPx, heightPx, pxPerNs, ticksPx, theme, pixelRatio])

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  const wheelRef = useRef({ trace, window, pxPerNs, onWindowChange })
  useEffect(() => {
    wheelRef.current = { trace, window, pxPerNs, onWindowChange }
  })
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const onWheel = (event: WheelEvent) => {
      event.preventDefault()
      const { trace: current, window: visible, pxPerNs: scale, onWindowChange: change } = wheelRef.current
      const anchorNs = event.offsetX / scale
      change(zoomWindow(current, visible, Math.exp(event.deltaY * 0.002), anchorNs))
    }
    canvas.addEventListener('wheel', onWheel, { passive: false })
    return () => canvas.removeEventListener('wheel', onWheel)
  }, [])

  const hitTest = (x: number): 'resize-start' | 'resize-end' | 'pan' | 'select' => {
    if (!isZoomed) return 'select'
    const x0 = window.startNs * pxPerNs
    const x1 = window.endNs * pxPerNs
    if (Math.abs(x - x0) <= MINIMAP_HANDLE_PX) return 'resize-start'
    if (Math.abs(x - x1) <= MINIMAP_HANDLE_PX) return 'resize-end'
    return x > x0 && x < x1 ? 'pan' : 'select'
  }

  const xOf = (event: ReactPointerEvent<HTMLCanvasElement>) => event.clientX - event.currentTarget.getBoundingClientRect().left

  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    const x = xOf(event)
    const mode = hitTest(x)
    const ns = x / pxPerNs
    dragRef.current =
      mode === 'select'
        ? { mode, originNs: ns, hasMoved: false }
        : mode === 'pan'
          ? { mode, originNs: ns, window, hasMoved: false }
          : { mode, window, hasMoved: false }
  }

  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const x = xOf(event)
    const drag = dragRef.current
    if (!drag) {
      const mode = hitTest(x)
      setCursor(mode === 'pan' ? 'grab' : mode === 'select' ? 'crosshair' : 'ew-resize')
      return
    }
    const ns = Math.min(Math.max(x / pxPerNs, 0), durationNs)
    switch (drag.mode) {
      case 'select': {
        if (!drag.hasMoved && Math.abs(ns - drag.originNs) * pxPerNs < DRAG_THRESHOLD_PX) return
        dragRef.current = { ...drag, hasMoved: true }
        onWindowChange(clampWindow(trace, Math.min(drag.originNs, ns), Math.max(drag.originNs, ns)))
        return
      }
      case 'pan': {
        const delta = ns - drag.originNs
        if (!drag.hasMoved && Math.abs(delta) * pxPerNs < DRAG_THRESHOLD_PX) return
        dragRef.current = { ...drag, hasMoved: true }
        setCursor('grabbing')
        onWindowChange(clampWindow(trace, drag.window.startNs + delta, drag.window.endNs + delta))
        return
      }
      case 'resize-start':
      case 'resize-end': {
        dragRef.current = { ...drag, hasMoved: true }
        const other = drag.mode === 'resize-start' ? drag.window.endNs : drag.window.startNs
        onWindowChange(clampWindow(trace, Math.min(other, ns), Math.max(other, ns)))
        return
      }
    }
  }

  const onPointerUp = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const drag = dragRef.current
    dragRef.current = undefined
    if (!drag || drag.hasMoved) return
    // A click: centre the current window (or a tenth of the trace) on it.
    const ns = xOf(event) / pxPerNs
    const width = isZoomed ? window.endNs - window.startNs : durationNs / 10
    if (drag.mode === 'select' || !isZoomed) onWindowChange(clampWindow(trace, ns - width / 2, ns + width / 2))
  }

  return (
    <canvas
      ref={canvasRef}
      data-testid="minimap"
      data-window={isZoomed ? `${Math.round(window.startNs)}-${Math.round(window.endNs)}` : 'all'}
      aria-label="Trace overview: drag to zoom into a time window"
      role="img"
      className="block touch-none"
      style={{ width: widthPx, height: heightPx, cursor }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        dragRef.current = undefined
      }}
      onDoubleClick={() => onWindowChange(undefined)}
    />
  )
}
