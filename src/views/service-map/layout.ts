import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3'
import type { SimulationLinkDatum, SimulationNodeDatum } from 'd3'
import type { ServiceGraph } from '../../model/analyses/service-graph.ts'

/**
 * Positions for a service dependency map, in graph px (the SVG's user space before zoom).
 *
 * Layered (the default for DAG-ish graphs), a small Sugiyama pipeline:
 * 1. Cycles are broken by reversing the back edges of an iterative depth-first search started
 *    from the sources (nodes nobody calls) in id order; self-edges are left out (drawn as loops).
 * 2. Longest-path layering: a node sits one layer right of its deepest caller, so calls flow
 *    left to right; nodes without edges go to layer 0.
 * 3. Edges spanning several layers get a dummy node per layer crossed, so they bend around
 *    nodes instead of through them and take part in the ordering.
 * 4. Ordering inside layers: alternate down and up sweeps placing each node at the barycentre
 *    (mean position) of its neighbours in the previous layer; the ordering with the fewest
 *    crossings seen is kept (crossings counted per layer pair as inversions, O(E log V)).
 * 5. Vertical coordinates: a few sweeps pull every node towards the mean y of its neighbours
 *    while keeping the order and the minimum gaps, by isotonic regression (pool adjacent
 *    violators): the least-squares placement that respects the order, in O(layer size).
 *
 * Force (fallback for cyclic, mesh-like graphs): d3-force with link, charge, collision and
 * centring forces, run to rest synchronously (d3-force's own deterministic start and random
 * source, so the same graph gives the same picture).
 */
export type ServiceMapLayoutKind = 'layered' | 'force'

export interface Point {
  readonly x: number
  readonly y: number
}

export interface ServiceMapLayout {
  readonly kind: ServiceMapLayoutKind
  /** Real nodes by id. */
  readonly positions: ReadonlyMap<string, Point>
  /** Bend points of each non-self edge by edge id, source to target, excluding the endpoints (layered only). */
  readonly bends: ReadonlyMap<string, readonly Point[]>
  /** Edges the layering drew against the flow to break a cycle. */
  readonly reversedEdges: ReadonlySet<string>
  /** Layer of each node (layered), for tests and debugging; empty for force. */
  readonly layers: ReadonlyMap<string, number>
  /** Order of each node within its layer (layered); empty for force. */
  readonly order: ReadonlyMap<string, number>
  readonly width: number
  readonly height: number
}

export const LAYER_GAP_PX = 230
export const NODE_GAP_PX = 78
const DUMMY_GAP_PX = 24
const MARGIN_PX = 60
const ORDER_SWEEPS = 24
const STRAIGHTEN_SWEEPS = 40

/** Layered for graphs that are (nearly) acyclic, force when many edges close cycles. */
export function chooseLayoutKind(graph: ServiceGraph): ServiceMapLayoutKind {
  const { reversed, edgeCount } = breakCycles(indexGraph(graph))
  return reversed.size > Math.max(2, edgeCount * 0.2) ? 'force' : 'layered'
}

export function layoutServiceMap(graph: ServiceGraph, kind: ServiceMapLayoutKind): ServiceMapLayout {
  return kind === 'force' ? layoutForce(graph) : layoutLayered(graph)
}

interface IndexedGraph {
  readonly ids: readonly string[]
  readonly indexOf: ReadonlyMap<string, number>
  /** Non-self edges as [source, target, edge id], in graph order. */
  readonly edges: readonly (readonly [number, number, string])[]
}

function indexGraph(graph: ServiceGraph): IndexedGraph {
  const ids = graph.nodes.map((node) => node.id)
  const indexOf = new Map(ids.map((id, index) => [id, index]))
  const edges: [number, number, string][] = []
  for (const edge of graph.edges) {
    const source = indexOf.get(edge.source)
    const target = indexOf.get(edge.target)
    if (source === undefined || target === undefined || source === target) continue
    edges.push([source, target, edge.id])
  }
  return { ids, indexOf, edges }
}

/** Back edges of an iterative DFS from the sources first, then from any unvisited node, in id order. */
function breakCycles(graph: IndexedGraph): { reversed: Set<string>; edgeCount: number } {
  const n = graph.ids.length
  const out: number[][] = Array.from({ length: n }, () => [])
  const inDegree = new Int32Array(n)
  graph.edges.forEach(([source, target], k) => {
    out[source]!.push(k)
    inDegree[target]!++
  })
  const state = new Uint8Array(n) // 0 new, 1 on the stack, 2 done
  const reversed = new Set<string>()
  const starts = [...Array(n).keys()].sort((a, b) => Number(inDegree[a] !== 0) - Number(inDegree[b] !== 0) || a - b)
  const stackNode: number[] = []
  const stackNext: number[] = []
  for (const start of starts) {
    if (state[start] !== 0) continue
    state[start] = 1
    stackNode.push(start)
    stackNext.push(0)
    while (stackNode.length > 0) {
      const top = stackNode.length - 1
      const node = stackNode[top] as number
      const next = stackNext[top] as number
      const outgoing = out[node] as number[]
      if (next >= outgoing.length) {
        state[node] = 2
        stackNode.pop()
        stackNext.pop()
        continue
      }
      stackNext[top] = next + 1
      const edge = graph.edges[outgoing[next] as number]!
      const target = edge[1]
      if (state[target] === 1) reversed.add(edge[2])
      else if (state[target] === 0) {
        state[target] = 1
        stackNode.push(target)
        stackNext.push(0)
      }
    }
  }
  return { reversed, edgeCount: graph.edges.length }
}

function layoutLayered(graph: ServiceGraph): ServiceMapLayout {
  const indexed = indexGraph(graph)
  const n = indexed.ids.length
  const { reversed } = breakCycles(indexed)

  // The acyclic graph, each pair once (a reversed edge can duplicate its opposite).
  const dagPairs = new Map<string, [number, number]>()
  for (const [source, target, id] of indexed.edges) {
    const [from, to] = reversed.has(id) ? [target, source] : [source, target]
    dagPairs.set(`${from} ${to}`, [from, to])
  }

  // Longest-path layering over a topological order (Kahn).
  const succ: number[][] = Array.from({ length: n }, () => [])
  const inDegree = new Int32Array(n)
  for (const [from, to] of dagPairs.values()) {
    succ[from]!.push(to)
    inDegree[to]!++
  }
  const layer = new Int32Array(n)
  const queue: number[] = []
  for (let v = 0; v < n; v++) if (inDegree[v] === 0) queue.push(v)
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number
    for (const w of succ[v]!) {
      layer[w] = Math.max(layer[w] as number, (layer[v] as number) + 1)
      if (--inDegree[w]! === 0) queue.push(w)
    }
  }

  // Virtual graph: real nodes 0…n-1, then dummies; edges only between adjacent layers.
  const vLayer: number[] = Array.from(layer)
  const vSucc: number[][] = succ.map(() => [])
  const vPred: number[][] = succ.map(() => [])
  const chainOf = new Map<string, number[]>() // "from to" → dummies, from → to
  const link = (a: number, b: number) => {
    vSucc[a]!.push(b)
    vPred[b]!.push(a)
  }
  for (const [key, [from, to]] of dagPairs) {
    const dummies: number[] = []
    let previous = from
    for (let l = (layer[from] as number) + 1; l < (layer[to] as number); l++) {
      const dummy = vLayer.length
      vLayer.push(l)
      vSucc.push([])
      vPred.push([])
      link(previous, dummy)
      dummies.push(dummy)
      previous = dummy
    }
    link(previous, to)
    chainOf.set(key, dummies)
  }
  const total = vLayer.length
  const layerCount = total === 0 ? 0 : Math.max(...vLayer) + 1
  const isDummy = (v: number) => v >= n

  // Initial order: depth-first discovery from the layer-0 nodes, so that connected nodes start close.
  const layers: number[][] = Array.from({ length: layerCount }, () => [])
  const seen = new Uint8Array(total)
  const visit = (start: number) => {
    const stack = [start]
    while (stack.length > 0) {
      const v = stack.pop() as number
      if (seen[v]) continue
      seen[v] = 1
      layers[vLayer[v] as number]!.push(v)
      const next = vSucc[v]!
      for (let k = next.length - 1; k >= 0; k--) if (!seen[next[k] as number]) stack.push(next[k] as number)
    }
  }
  for (let v = 0; v < n; v++) if (vLayer[v] === 0) visit(v)
  for (let v = 0; v < total; v++) visit(v)

  const position = new Float64Array(total)
  const indexLayers = () => {
    for (const nodes of layers) nodes.forEach((v, k) => (position[v] = k))
  }
  indexLayers()
  let best = layers.map((nodes) => nodes.slice())
  let bestCrossings = countCrossings(layers, vSucc, position)
  for (let sweep = 0; sweep < ORDER_SWEEPS && bestCrossings > 0; sweep++) {
    const isDown = sweep % 2 === 0
    for (let step = 1; step < layerCount; step++) {
      const l = isDown ? step : layerCount - 1 - step
      const nodes = layers[l]!
      const neighbours = isDown ? vPred : vSucc
      const key = new Map<number, number>()
      for (const v of nodes) {
        const adjacent = neighbours[v]!
        if (adjacent.length === 0) key.set(v, position[v] as number)
        else key.set(v, adjacent.reduce((sum, w) => sum + (position[w] as number), 0) / adjacent.length)
      }
      nodes.sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || (position[a] as number) - (position[b] as number))
      nodes.forEach((v, k) => (position[v] = k))
    }
    const crossings = countCrossings(layers, vSucc, position)
    if (crossings < bestCrossings) {
      bestCrossings = crossings
      best = layers.map((nodes) => nodes.slice())
    }
  }
  for (let l = 0; l < layerCount; l++) layers[l] = best[l] as number[]
  indexLayers()

  // Vertical coordinates: stacked by order, then straightened towards neighbours.
  const y = new Float64Array(total)
  // Each vertex takes half its gap on either side: real nodes need room for their label, bends little.
  const halfGap = (v: number) => (isDummy(v) ? DUMMY_GAP_PX / 2 : NODE_GAP_PX / 2)
  const gapBefore = (nodes: readonly number[], k: number) => halfGap(nodes[k] as number) + halfGap(nodes[k - 1] as number)
  for (const nodes of layers) {
    let at = 0
    nodes.forEach((v, k) => {
      if (k > 0) at += gapBefore(nodes, k)
      y[v] = at
    })
    for (const v of nodes) y[v]! -= at / 2
  }
  for (let sweep = 0; sweep < STRAIGHTEN_SWEEPS; sweep++) {
    const isDown = sweep % 2 === 0
    for (let step = 0; step < layerCount; step++) {
      const l = isDown ? step : layerCount - 1 - step
      const nodes = layers[l]!
      const desired: number[] = []
      const weights: number[] = []
      for (const v of nodes) {
        const adjacent = [...vPred[v]!, ...vSucc[v]!]
        desired.push(adjacent.length === 0 ? (y[v] as number) : adjacent.reduce((sum, w) => sum + (y[w] as number), 0) / adjacent.length)
        weights.push(Math.max(1, adjacent.length))
      }
      const offsets = new Array<number>(nodes.length).fill(0)
      for (let k = 1; k < nodes.length; k++) offsets[k] = (offsets[k - 1] as number) + gapBefore(nodes, k)
      const placed = isotonicPlacement(desired, offsets, weights)
      nodes.forEach((v, k) => (y[v] = placed[k] as number))
    }
  }

  // Translate into positive space with a margin.
  let minY = Infinity
  let maxY = -Infinity
  for (let v = 0; v < total; v++) {
    minY = Math.min(minY, y[v] as number)
    maxY = Math.max(maxY, y[v] as number)
  }
  if (total === 0) {
    minY = 0
    maxY = 0
  }
  const point = (v: number): Point => ({ x: MARGIN_PX + (vLayer[v] as number) * LAYER_GAP_PX, y: MARGIN_PX + (y[v] as number) - minY })
  const positions = new Map<string, Point>()
  const layersById = new Map<string, number>()
  const orderById = new Map<string, number>()
  for (let v = 0; v < n; v++) {
    const id = indexed.ids[v] as string
    positions.set(id, point(v))
    layersById.set(id, vLayer[v] as number)
    orderById.set(id, position[v] as number)
  }
  const bends = new Map<string, readonly Point[]>()
  for (const [source, target, id] of indexed.edges) {
    const isReversed = reversed.has(id)
    const [from, to] = isReversed ? [target, source] : [source, target]
    const points = (chainOf.get(`${from} ${to}`) ?? []).map(point)
    bends.set(id, isReversed ? points.reverse() : points)
  }
  return {
    kind: 'layered',
    positions,
    bends,
    reversedEdges: reversed,
    layers: layersById,
    order: orderById,
    width: 2 * MARGIN_PX + Math.max(0, layerCount - 1) * LAYER_GAP_PX,
    height: 2 * MARGIN_PX + (maxY - minY),
  }
}

/**
 * Weighted least-squares positions `y[k]` close to `desired[k]` with `y[k] - y[k-1] >= offsets[k] - offsets[k-1]`:
 * with z = desired - offsets the constraint is "z non-decreasing", solved by pool adjacent violators.
 * A node's weight is its neighbour count, which makes this the exact minimiser of the squared edge
 * lengths of the layer given the other layers (so the sweeps converge to straight edges).
 */
export function isotonicPlacement(desired: readonly number[], offsets: readonly number[], weights?: readonly number[]): number[] {
  const blockMean: number[] = []
  const blockWeight: number[] = []
  const blockSize: number[] = []
  for (let k = 0; k < desired.length; k++) {
    let mean = (desired[k] as number) - (offsets[k] as number)
    let weight = weights?.[k] ?? 1
    let size = 1
    while (blockMean.length > 0 && (blockMean[blockMean.length - 1] as number) > mean) {
      const previousWeight = blockWeight.pop() as number
      const previousMean = blockMean.pop() as number
      size += blockSize.pop() as number
      mean = (previousMean * previousWeight + mean * weight) / (previousWeight + weight)
      weight += previousWeight
    }
    blockMean.push(mean)
    blockWeight.push(weight)
    blockSize.push(size)
  }
  const out: number[] = []
  blockMean.forEach((mean, b) => {
    for (let i = 0; i < (blockSize[b] as number); i++) out.push(mean + (offsets[out.length] as number))
  })
  return out
}

/** Edge crossings between adjacent layers: per layer pair, inversions of target positions ordered by source (Fenwick tree). */
export function countCrossings(layers: readonly (readonly number[])[], succ: readonly (readonly number[])[], position: Float64Array): number {
  let crossings = 0
  for (let l = 0; l + 1 < layers.length; l++) {
    const pairs: [number, number][] = []
    for (const v of layers[l]!) for (const w of succ[v]!) pairs.push([position[v] as number, position[w] as number])
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    const size = layers[l + 1]!.length
    const tree = new Int32Array(size + 1)
    let seen = 0
    for (const [, target] of pairs) {
      // Earlier edges (smaller source) with a larger target cross this one.
      let atMost = 0
      for (let i = target + 1; i > 0; i -= i & -i) atMost += tree[i] as number
      crossings += seen - atMost
      for (let i = target + 1; i <= size; i += i & -i) tree[i]!++
      seen++
    }
  }
  return crossings
}

interface ForceNode extends SimulationNodeDatum {
  readonly id: string
}

function layoutForce(graph: ServiceGraph): ServiceMapLayout {
  const nodes: ForceNode[] = graph.nodes.map((node) => ({ id: node.id }))
  const links: SimulationLinkDatum<ForceNode>[] = graph.edges.filter((edge) => !edge.isSelfEdge).map((edge) => ({ source: edge.source, target: edge.target }))
  const simulation = forceSimulation(nodes)
    .force(
      'link',
      forceLink<ForceNode, SimulationLinkDatum<ForceNode>>(links)
        .id((node) => node.id)
        .distance(170)
        .strength(0.3),
    )
    .force('charge', forceManyBody<ForceNode>().strength(-1300).distanceMax(1600))
    // Room for the two label lines under each node.
    .force('collide', forceCollide<ForceNode>(60))
    .force('x', forceX<ForceNode>(0).strength(0.03))
    .force('y', forceY<ForceNode>(0).strength(0.03))
    .stop()
  const ticks = Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay()))
  simulation.tick(ticks)
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const node of nodes) {
    minX = Math.min(minX, node.x ?? 0)
    minY = Math.min(minY, node.y ?? 0)
    maxX = Math.max(maxX, node.x ?? 0)
    maxY = Math.max(maxY, node.y ?? 0)
  }
  if (nodes.length === 0) minX = minY = maxX = maxY = 0
  const positions = new Map<string, Point>(nodes.map((node) => [node.id, { x: MARGIN_PX + (node.x ?? 0) - minX, y: MARGIN_PX + (node.y ?? 0) - minY }]))
  return {
    kind: 'force',
    positions,
    bends: new Map(),
    reversedEdges: new Set(),
    layers: new Map(),
    order: new Map(),
    width: 2 * MARGIN_PX + maxX - minX,
    height: 2 * MARGIN_PX + maxY - minY,
  }
}
