import { describe, expect, it } from 'vitest'
import { buildServiceGraph, serviceGraphFromLinks } from '../../model/analyses/service-graph.ts'
import type { DependencyLink, ServiceGraph } from '../../model/analyses/service-graph.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { Rng } from '../../generator/prng.ts'
import { generatedTraces } from '../flamegraph/testing/generated-traces.ts'
import { chooseLayoutKind, countCrossings, isotonicPlacement, LAYER_GAP_PX, layoutServiceMap, NODE_GAP_PX } from './layout.ts'
import type { ServiceMapLayout } from './layout.ts'

/** Generous: generating and building big traces is slow on a loaded machine (no timing is asserted). */
const HEAVY_TEST_TIMEOUT_MS = 60_000

const links = (pairs: string): DependencyLink[] =>
  pairs
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const [parent, child] = pair.split('>')
      return { parent: parent ?? '', child: child ?? '', callCount: 1 }
    })

const layered = (graph: ServiceGraph) => layoutServiceMap(graph, 'layered')

/** Nodes per layer, each layer top to bottom. */
function layerLines(layout: ServiceMapLayout): string[] {
  const byLayer: string[][] = []
  for (const [id, layer] of layout.layers) (byLayer[layer] ??= []).push(id)
  return byLayer.map((ids) => ids.sort((a, b) => (layout.order.get(a) ?? 0) - (layout.order.get(b) ?? 0)).join(' '))
}

/** No two nodes of a layer closer than the node gap; every position finite. */
function expectReadable(layout: ServiceMapLayout): void {
  const byLayer = new Map<number, number[]>()
  for (const [id, point] of layout.positions) {
    expect(Number.isFinite(point.x) && Number.isFinite(point.y)).toBe(true)
    const layer = layout.layers.get(id) ?? 0
    expect(point.x).toBeCloseTo(60 + layer * LAYER_GAP_PX, 6)
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), point.y])
  }
  for (const ys of byLayer.values()) {
    ys.sort((a, b) => a - b)
    for (let k = 1; k < ys.length; k++) expect((ys[k] as number) - (ys[k - 1] as number)).toBeGreaterThanOrEqual(NODE_GAP_PX - 1e-6)
  }
}

describe('layoutServiceMap (layered)', () => {
  it('layers by longest path: a node sits right of its deepest caller', () => {
    const layout = layered(serviceGraphFromLinks(links('web>api api>db web>db api>cache cache>db')))
    expect(layerLines(layout)).toEqual(['web', 'api', 'cache', 'db'])
    expect(layout.reversedEdges.size).toBe(0)
    // web → db spans three layers: two bends; api → db one.
    expect(layout.bends.get('web\u2192db')).toHaveLength(2)
    expect(layout.bends.get('api\u2192db')).toHaveLength(1)
    expect(layout.bends.get('web\u2192api')).toHaveLength(0)
    expectReadable(layout)
  })

  it('breaks cycles by reversing back edges and ignores self-edges', () => {
    // a → b → c → a is a cycle; d calls itself.
    const graph = serviceGraphFromLinks(links('a>b b>c c>a d>d c>d'))
    const layout = layered(graph)
    expect([...layout.reversedEdges]).toEqual(['c\u2192a'])
    expect(layerLines(layout)).toEqual(['a', 'b', 'c', 'd'])
    // The reversed edge's bends run from its source (c, layer 2) back to a (layer 0).
    const bends = layout.bends.get('c\u2192a') ?? []
    expect(bends.map((point) => point.x)).toEqual([60 + LAYER_GAP_PX])
    expect(layout.bends.has('d\u2192d')).toBe(false)
    expectReadable(layout)
  })

  it('orders layers to remove crossings', () => {
    // Two independent chains listed so that the first order crosses: a1 → b2, a2 → b1.
    const layout = layered(serviceGraphFromLinks(links('a1>b2 a2>b1 b1>c1 b2>c2')))
    const orderOf = (id: string) => layout.order.get(id) ?? -1
    expect(Math.sign(orderOf('a1') - orderOf('a2'))).toBe(Math.sign(orderOf('b2') - orderOf('b1')))
    expect(Math.sign(orderOf('b1') - orderOf('b2'))).toBe(Math.sign(orderOf('c1') - orderOf('c2')))
    // Aligned: a chain's nodes share a y where the gaps allow.
    expect(layout.positions.get('a1')?.y).toBeCloseTo(layout.positions.get('b2')?.y ?? NaN, 6)
  })

  it('straightens edges: a leaf sits level with its only caller', () => {
    // HotROD's shape: frontend calls customer, driver and route; customer → mysql, driver → redis.
    const layout = layered(serviceGraphFromLinks(links('frontend>customer frontend>driver frontend>route customer>mysql driver>redis')))
    const y = (id: string) => layout.positions.get(id)?.y ?? NaN
    expect(y('mysql')).toBeCloseTo(y('customer'), 1)
    expect(y('redis')).toBeCloseTo(y('driver'), 1)
    expect(y('frontend')).toBeCloseTo(y('driver'), 1)
  })

  it('counts crossings as inversions', () => {
    const position = Float64Array.from([0, 1, 0, 1])
    // Nodes 0, 1 in layer 0; 2, 3 in layer 1; 0 → 3 and 1 → 2 cross once.
    expect(
      countCrossings(
        [
          [0, 1],
          [2, 3],
        ],
        [[3], [2], [], []],
        position,
      ),
    ).toBe(1)
    expect(
      countCrossings(
        [
          [0, 1],
          [2, 3],
        ],
        [[2], [3], [], []],
        position,
      ),
    ).toBe(0)
  })

  it('places nodes as close to their wish as the order and gaps allow', () => {
    // Wishes 0, 0, 0 with gaps of 10: centred around the wish.
    expect(isotonicPlacement([0, 0, 0], [0, 10, 20])).toEqual([-10, 0, 10])
    // Far apart wishes are kept.
    expect(isotonicPlacement([0, 50, 100], [0, 10, 20])).toEqual([0, 50, 100])
    // A heavier node moves less: weights 3 and 1 wishing for the same spot, 8 apart.
    expect(isotonicPlacement([0, 0], [0, 8], [3, 1])).toEqual([-2, 6])
  })

  it(
    'lays out the dependency maps of real fixtures and of generated traces',
    () => {
      const graphs = [
        buildServiceGraph(fixtureTraces('jaeger/getTrace-response.json')),
        buildServiceGraph(fixtureTraces('zipkin/messaging-kafka.json')),
        buildServiceGraph(fixtureTraces('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json')),
        buildServiceGraph(generatedTraces(20_000, 10)),
      ]
      for (const graph of graphs) {
        const layout = layered(graph)
        expect(layout.positions.size).toBe(graph.nodes.length)
        expectReadable(layout)
        for (const edge of graph.edges) if (!edge.isSelfEdge) expect(layout.bends.has(edge.id)).toBe(true)
      }
      // The generated shop: 20 services plus databases, caches, topics and external APIs, mostly acyclic.
      const shop = graphs[3] as ServiceGraph
      expect(shop.nodes.filter((node) => node.kind === 'service' && !node.isInferred).length).toBeGreaterThanOrEqual(15)
      expect(shop.nodes.some((node) => node.kind === 'database')).toBe(true)
      expect(chooseLayoutKind(shop)).toBe('layered')
    },
    HEAVY_TEST_TIMEOUT_MS,
  )

  it(
    'handles 500 services with a random DAG plus back edges',
    () => {
      const rng = new Rng(7)
      const pairs: DependencyLink[] = []
      for (let i = 1; i < 500; i++) {
        const calls = rng.int(1, 3)
        for (let c = 0; c < calls; c++) pairs.push({ parent: `s${rng.int(0, i - 1)}`, child: `s${i}`, callCount: rng.int(1, 1000) })
      }
      for (let k = 0; k < 20; k++) pairs.push({ parent: `s${rng.int(250, 499)}`, child: `s${rng.int(0, 249)}`, callCount: 1 })
      const graph = serviceGraphFromLinks(pairs)
      const layout = layered(graph)
      expect(layout.positions.size).toBe(500)
      expect(layout.reversedEdges.size).toBeGreaterThan(0)
      expectReadable(layout)
      expect(chooseLayoutKind(graph)).toBe('layered')
    },
    HEAVY_TEST_TIMEOUT_MS,
  )
})

describe('layoutServiceMap (force)', () => {
  it('is chosen for mesh-like graphs and gives finite, separated, repeatable positions', () => {
    const mesh = serviceGraphFromLinks(links('a>b b>a b>c c>b c>a a>c a>d d>a d>b b>d'))
    expect(chooseLayoutKind(mesh)).toBe('force')
    const layout = layoutServiceMap(mesh, 'force')
    const points = [...layout.positions.values()]
    expect(points).toHaveLength(4)
    for (const p of points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true)
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) expect(Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y)).toBeGreaterThan(60)
    }
    expect([...layoutServiceMap(mesh, 'force').positions]).toEqual([...layout.positions])
  })

  it('handles an empty graph', () => {
    const empty = serviceGraphFromLinks([])
    for (const kind of ['layered', 'force'] as const) expect(layoutServiceMap(empty, kind).positions.size).toBe(0)
  })
})
