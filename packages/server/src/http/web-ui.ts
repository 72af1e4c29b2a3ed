import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { AppError } from '@loopline/model';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './http-errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
  immutable: boolean;
}

export interface WebUiOptions {
  /** the built UI (packages/web/dist, copied next to the CLI bundle); missing → a text page says so */
  root: string | undefined;
  version: string;
}

/**
 * Serves the built single-page UI at `/`: files are read once at start, gzipped once, hashed assets are
 * cached forever, and every other GET outside /api and /v1 answers index.html so deep links work.
 */
export async function webUiRoutes(app: FastifyInstance, options: WebUiOptions): Promise<void> {
  const assets = loadAssets(options.root);
  const index = assets.get('/index.html');
  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply => {
    reply.header('content-type', asset.type);
    reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (asset.gzip && /\bgzip\b/.test(accepts)) {
      reply.header('content-encoding', 'gzip');
      return reply.send(asset.gzip);
    }
    return reply.send(asset.body);
  };
  app.get('/*', async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url.startsWith('/v1/')) {
      const error = new AppError(
        'NOT_FOUND',
        `no route for GET ${url}; see GET /api/health, POST /api/query`,
      );
      return reply.code(404).send(errorBody(error));
    }
    const asset = assets.get(url);
    if (asset) return send(request, reply, asset);
    if (url.startsWith('/assets/')) {
      return reply.code(404).type('text/plain').send(`no file ${url}; reload the page to get the current UI`);
    }
    if (index) return send(request, reply, index);
    return reply
      .type('text/plain')
      .send(
        [
          `Loopline ${options.version}`,
          'The web UI is not built: run "npm run build" (npm start does it) and restart loopline serve.',
          'OTLP/HTTP: POST /v1/traces, /v1/logs, /v1/metrics; OTLP/gRPC on port 4317',
          'API: POST /api/query, GET /api/traces/:traceId, GET /api/conversations, GET /api/datasets, GET /api/health',
        ].join('\n'),
      );
  });
}

function loadAssets(root: string | undefined): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!root || !fs.existsSync(path.join(root, 'index.html'))) return assets;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const ext = path.extname(entry.name);
        const body = fs.readFileSync(full);
        const rel = `/${path.relative(root, full).split(path.sep).join('/')}`;
        assets.set(rel, {
          type: TYPES[ext] ?? 'application/octet-stream',
          body,
          gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? zlib.gzipSync(body, { level: 9 }) : null,
          immutable: rel.startsWith('/assets/'),
        });
      }
    }
  };
  walk(root);
  return assets;
}
