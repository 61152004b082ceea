/** Resource attributes for one running copy of every catalog service, drawn once per run from the seed. */
import { SERVICES } from './catalog.ts'
import type { Language } from './catalog.ts'
import type { GenAttribute, ServiceInstance } from './gen-span.ts'
import type { Rng } from './prng.ts'

const SDK_VERSION: Record<Language, string> = {
  go: '1.32.0',
  java: '1.44.1',
  nodejs: '1.28.0',
  python: '1.27.0',
  dotnet: '1.9.0',
}

const RUNTIME: Record<Language, readonly [name: string, version: string]> = {
  go: ['go', 'go1.23.4'],
  java: ['OpenJDK Runtime Environment', '21.0.5+11-LTS'],
  nodejs: ['nodejs', '20.18.1'],
  python: ['cpython', '3.12.8'],
  dotnet: ['.NET', '8.0.11'],
}

/** Kubernetes pod-name suffix alphabet (no vowels, so generated names never spell words). */
const POD_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

function podSuffix(rng: Rng, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += POD_ALPHABET[rng.int(0, POD_ALPHABET.length - 1)]
  return out
}

export function formatUuid(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`
}

export function createServiceInstances(rng: Rng): ReadonlyMap<string, ServiceInstance> {
  const instances = new Map<string, ServiceInstance>()
  const nodes = Array.from({ length: 6 }, () => `ip-10-0-${rng.int(0, 63)}-${rng.int(2, 254)}.eu-west-1.compute.internal`)
  for (const def of SERVICES) {
    const podName = `${def.name}-${podSuffix(rng, 10)}-${podSuffix(rng, 5)}`
    const ipv4 = `10.42.${rng.int(0, 15)}.${rng.int(2, 254)}`
    const [runtimeName, runtimeVersion] = RUNTIME[def.language]
    const resource: GenAttribute[] = [
      { key: 'service.name', type: 'string', value: def.name },
      { key: 'service.version', type: 'string', value: def.version },
      { key: 'service.namespace', type: 'string', value: 'shop' },
      { key: 'service.instance.id', type: 'string', value: formatUuid(rng.hex(4)) },
      { key: 'deployment.environment.name', type: 'string', value: 'production' },
      { key: 'host.name', type: 'string', value: podName },
      { key: 'host.arch', type: 'string', value: 'amd64' },
      { key: 'os.type', type: 'string', value: 'linux' },
      { key: 'k8s.namespace.name', type: 'string', value: 'shop' },
      { key: 'k8s.deployment.name', type: 'string', value: def.name },
      { key: 'k8s.pod.name', type: 'string', value: podName },
      { key: 'k8s.node.name', type: 'string', value: rng.pick(nodes) },
      { key: 'container.image.name', type: 'string', value: `registry.example.com/shop/${def.name}` },
      { key: 'container.image.tags', type: 'strings', value: [def.version, 'latest'] },
      { key: 'process.pid', type: 'int', value: rng.int(1, 64) },
      { key: 'process.runtime.name', type: 'string', value: runtimeName },
      { key: 'process.runtime.version', type: 'string', value: runtimeVersion },
      { key: 'telemetry.sdk.name', type: 'string', value: 'opentelemetry' },
      { key: 'telemetry.sdk.language', type: 'string', value: def.language },
      { key: 'telemetry.sdk.version', type: 'string', value: SDK_VERSION[def.language] },
    ]
    instances.set(def.name, { def, ipv4, resource })
  }
  return instances
}
