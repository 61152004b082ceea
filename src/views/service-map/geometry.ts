import { curveBasis, interpolateRgb, line } from 'd3'
import type { Point } from './layout.ts'

/** Radius of the circle every node shape fits in; edges stop at it. */
export const NODE_RADIUS_PX = 20
const ARROW_LENGTH_PX = 8
const ARROW_HALF_WIDTH_PX = 4

/** Arrowheads grow with the stroke so that a thick edge still ends in a visible point. */
function arrowSize(strokePx: number): { length: number; halfWidth: number } {
  return { length: ARROW_LENGTH_PX + strokePx * 0.9, halfWidth: ARROW_HALF_WIDTH_PX + strokePx * 0.6 }
}

export interface EdgeGeometry {
  /** SVG path data of the line, ending where the arrow's base is. */
  readonly d: string
  /** SVG path data of the arrowhead triangle. */
  readonly arrow: string
  /** Where a label goes. */
  readonly label: Point
}

/**
 * An edge from `source` to `target` through `bends` (layered layout): a B-spline through the
 * bend points with a short horizontal lead at both ends, so that edges leave and enter nodes
 * along the flow and the arrow points the way the line arrives. `offsetPx` shifts the whole edge
 * vertically (to separate an edge from its opposite).
 */
export function layeredEdge(source: Point, target: Point, bends: readonly Point[], strokePx: number, offsetPx = 0): EdgeGeometry {
  const arrow = arrowSize(strokePx)
  const shifted = (p: Point) => ({ x: p.x, y: p.y + offsetPx })
  const from = shifted(source)
  const to = shifted(target)
  const inner = bends.map(shifted)
  const startSign = Math.sign((inner[0] ?? to).x - from.x) || 1
  const endSign = Math.sign(to.x - (inner[inner.length - 1] ?? from).x) || 1
  const start = { x: from.x + startSign * NODE_RADIUS_PX, y: from.y }
  const tip = { x: to.x - endSign * (NODE_RADIUS_PX + 1), y: to.y }
  const end = { x: tip.x - endSign * (arrow.length - 1), y: tip.y }
  const lead = Math.min(40, Math.abs(end.x - start.x) / 4)
  const points: [number, number][] = [
    [start.x, start.y],
    [start.x + startSign * lead, start.y],
    ...inner.map((p): [number, number] => [p.x, p.y]),
    [end.x - endSign * lead, end.y],
    [end.x, end.y],
  ]
  const d = splinePath(points) ?? ''
  const middle = inner.length > 0 ? (inner[Math.floor((inner.length - 1) / 2)] as Point) : { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }
  return { d, arrow: arrowHead(tip, { x: endSign, y: 0 }, arrow), label: middle }
}

const splinePath = line().curve(curveBasis)

/**
 * A straight edge (force layout), or a gentle arc when `bendPx` is not 0 (an edge whose opposite
 * exists curves to its own side, so the pair does not overlap).
 */
export function straightEdge(source: Point, target: Point, strokePx: number, bendPx = 0): EdgeGeometry {
  const arrow = arrowSize(strokePx)
  const dx = target.x - source.x
  const dy = target.y - source.y
  const length = Math.hypot(dx, dy) || 1
  const ux = dx / length
  const uy = dy / length
  // Control point off the midpoint, to the right of the direction of travel.
  const control = { x: (source.x + target.x) / 2 - uy * bendPx, y: (source.y + target.y) / 2 + ux * bendPx }
  const toward = (from: Point, to: Point, distance: number): Point => {
    const ddx = to.x - from.x
    const ddy = to.y - from.y
    const d = Math.hypot(ddx, ddy) || 1
    return { x: from.x + (ddx / d) * distance, y: from.y + (ddy / d) * distance }
  }
  const start = toward(source, control, NODE_RADIUS_PX)
  const tip = toward(target, control, NODE_RADIUS_PX + 1)
  const end = toward(tip, control, arrow.length - 1)
  const direction = { x: tip.x - end.x, y: tip.y - end.y }
  const d = `M${fmt(start.x)},${fmt(start.y)}Q${fmt(control.x)},${fmt(control.y)} ${fmt(end.x)},${fmt(end.y)}`
  const label = { x: (start.x + 2 * control.x + end.x) / 4, y: (start.y + 2 * control.y + end.y) / 4 }
  return { d, arrow: arrowHead(tip, direction, arrow), label }
}

/** A loop above the node, for a service calling itself (dependency links only). */
export function selfLoopEdge(center: Point, strokePx: number): EdgeGeometry {
  const arrow = arrowSize(strokePx)
  const top = center.y - NODE_RADIUS_PX
  const tip = { x: center.x + 7, y: top - 1 }
  const end = { x: center.x + 8, y: top - arrow.length }
  const d = `M${fmt(center.x - 7)},${fmt(top)}C${fmt(center.x - 34)},${fmt(top - 46)} ${fmt(center.x + 30)},${fmt(top - 50)} ${fmt(end.x)},${fmt(end.y)}`
  return { d, arrow: arrowHead(tip, { x: -0.1, y: 1 }, arrow), label: { x: center.x, y: top - 40 } }
}

function arrowHead(tip: Point, direction: Point, size: { length: number; halfWidth: number }): string {
  const length = Math.hypot(direction.x, direction.y) || 1
  const ux = direction.x / length
  const uy = direction.y / length
  const baseX = tip.x - ux * size.length
  const baseY = tip.y - uy * size.length
  const left = { x: baseX - uy * size.halfWidth, y: baseY + ux * size.halfWidth }
  const right = { x: baseX + uy * size.halfWidth, y: baseY - ux * size.halfWidth }
  return `M${fmt(tip.x)},${fmt(tip.y)}L${fmt(left.x)},${fmt(left.y)}L${fmt(right.x)},${fmt(right.y)}Z`
}

function fmt(value: number): string {
  return (Math.round(value * 10) / 10).toString()
}

/** Stroke width by call count: square root, 1.25 px to 8 px relative to the busiest edge. */
export function edgeWidthPx(callCount: number, maxCallCount: number): number {
  if (!(maxCallCount > 0)) return 1.25
  return 1.25 + 6.75 * Math.sqrt(Math.max(0, callCount) / maxCallCount)
}

/** Error rates at and above this are full red. */
export const ERROR_RATE_FULL = 0.25
/** Where the scale is amber: a few percent of failed calls is worth noticing, not alarming. */
const ERROR_RATE_AMBER = 0.05
const toAmber = interpolateRgb('#b4a58c', '#f59e0b')
const toRed = interpolateRgb('#f59e0b', '#dc2626')

/**
 * Edge colour by error rate: undefined (the theme's neutral) without errors; from a greyish
 * amber for a stray failure, to amber at 5 %, to red at 25 % and more.
 */
export function errorColor(errorRate: number): string | undefined {
  if (!(errorRate > 0)) return undefined
  if (errorRate < ERROR_RATE_AMBER) return toAmber(Math.sqrt(errorRate / ERROR_RATE_AMBER))
  return toRed(Math.min(1, (errorRate - ERROR_RATE_AMBER) / (ERROR_RATE_FULL - ERROR_RATE_AMBER)))
}
