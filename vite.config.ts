/// <reference types="vitest/config" />
import type { IncomingMessage, ServerResponse } from 'node:http'
import { defineConfig } from 'vite'
import type { Connect, Plugin, ProxyOptions } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { guessBackendKind, parseBackendsEnv, proxyBaseUrl } from './src/backends/backends-env.ts'
import type { ProxiedBackend } from './src/backends/backends-env.ts'

/**
 * Backends without CORS headers (Jaeger and Tempo by default) cannot be called from the page, so
 * the dev and preview servers proxy `/backends/<name>/…` to the backends named in
 * SPANGLASS_BACKENDS (`name=url,…`) — and to nothing else: any other `/backends/…` path is a 404,
 * never a request to an address taken from the URL. `/backends.json` lists the proxied backends
 * for the settings page.
 */
const proxiedBackends = parseBackendsEnv(process.env.SPANGLASS_BACKENDS)

function backendProxies(backends: readonly ProxiedBackend[]): Record<string, ProxyOptions> {
  return Object.fromEntries(
    backends.map((backend) => {
      const prefix = `${proxyBaseUrl(backend.name)}/`
      const options: ProxyOptions = {
        target: backend.url,
        changeOrigin: true,
        // `/backends/jaeger/api/services` → `<url>/api/services` (the target's own path is kept in front).
        rewrite: (path) => path.slice(prefix.length - 1),
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => {
            // The app's cookies are not the backend's business; the page sends credentials as headers.
            request.removeHeader('cookie')
          })
        },
      }
      return [prefix, options]
    }),
  )
}

function backendsPlugin(backends: readonly ProxiedBackend[]): Plugin {
  const names = new Set(backends.map((backend) => backend.name))
  const list = JSON.stringify({
    backends: backends.map((backend) => {
      const kind = guessBackendKind(backend.name, backend.url)
      return { name: backend.name, target: backend.url, baseUrl: proxyBaseUrl(backend.name), ...(kind ? { kind } : {}) }
    }),
  })
  // Runs before Vite's own proxy: lets known names through, answers everything else itself.
  const middleware: Connect.NextHandleFunction = (request: IncomingMessage, response: ServerResponse, next: Connect.NextFunction) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    if (path === '/backends.json') {
      response.setHeader('Content-Type', 'application/json; charset=utf-8')
      response.setHeader('Cache-Control', 'no-store')
      response.end(list)
      return
    }
    if (path !== '/backends' && !path.startsWith('/backends/')) {
      next()
      return
    }
    // Names are URL-safe (backends-env.ts), so the raw segment must match exactly, as the proxy's prefix does.
    const [name = '', ...rest] = path.slice('/backends/'.length).split('/')
    if (names.has(name) && rest.length > 0) {
      next()
      return
    }
    response.statusCode = 404
    response.setHeader('Content-Type', 'application/json; charset=utf-8')
    response.end(
      JSON.stringify({
        error: {
          message:
            names.size === 0
              ? 'No backend is proxied: start Spanglass with SPANGLASS_BACKENDS=name=url (e.g. SPANGLASS_BACKENDS=jaeger=http://127.0.0.1:16686).'
              : names.has(name)
                ? `Ask for an API path below /backends/${name}/ (e.g. /backends/${name}/api/…).`
                : `No proxied backend is named ${JSON.stringify(name)}; SPANGLASS_BACKENDS names ${[...names].join(', ')}.`,
        },
      }),
    )
  }
  return {
    name: 'spanglass-backends',
    configureServer: (server) => {
      server.middlewares.use(middleware)
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(middleware)
    },
  }
}

const proxy = backendProxies(proxiedBackends)

export default defineConfig({
  plugins: [react(), tailwindcss(), backendsPlugin(proxiedBackends)],
  worker: { format: 'es' },
  server: { proxy },
  preview: { proxy },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/model/testing/vitest-setup.ts'],
  },
})
