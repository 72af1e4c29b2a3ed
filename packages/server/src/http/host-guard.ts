import net from 'node:net';
import os from 'node:os';
import { AppError } from '@loopline/model';
import type { FastifyReply, onRequestHookHandler } from 'fastify';
import { errorBody } from './http-errors.ts';

export interface HostGuardOptions {
  /** the address the server listens on */
  host: string;
  /** more names it answers to (--allowed-hosts); ".example.com" also allows every subdomain */
  allowedHosts: readonly string[];
}

const CHANGES_STATE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Against DNS rebinding and cross-site requests: the API and the UI answer only when the Host header
 * names this server (an IP address, localhost, the machine's name, the bound host or an allowed name),
 * and a call under /api that changes state is refused when the browser says it comes from a page of
 * another host. OTLP under /v1 answers any host: exporters name the server as they please.
 */
export function hostGuard(options: HostGuardOptions): onRequestHookHandler {
  const isAllowed = allowedHostMatcher(options);
  const isAllowedOrigin = allowedOriginMatcher(options);
  return async (request, reply) => {
    if (request.url.startsWith('/v1/')) return;
    const host = request.headers.host;
    if (host !== undefined && !isAllowed(hostnameOf(host))) {
      return refuse(reply, hostNotAllowed(host));
    }
    if (!request.url.startsWith('/api/') || !CHANGES_STATE.has(request.method)) return;
    const origin = request.headers.origin;
    const sameHost = host !== undefined && originHost(origin ?? '') === host.toLowerCase();
    if (origin !== undefined && !sameHost && !isAllowedOrigin(hostnameOf(originHost(origin)))) {
      return refuse(reply, originNotAllowed(origin));
    }
    if (origin === undefined && request.headers['sec-fetch-site'] === 'cross-site') {
      return refuse(reply, originNotAllowed('another site'));
    }
  };
}

/** true for the names this server answers to; the argument is a hostname without port or brackets */
export function allowedHostMatcher(options: HostGuardOptions): (hostname: string | null) => boolean {
  const exact = new Set(['localhost', os.hostname().toLowerCase(), options.host.toLowerCase()]);
  const suffixes = ['.localhost'];
  for (const name of options.allowedHosts) {
    const lower = name.trim().toLowerCase();
    if (lower.startsWith('.')) suffixes.push(lower);
    if (lower) exact.add(lower.replace(/^\./, ''));
  }
  return (hostname) => {
    if (hostname === null) return false;
    // an IP address cannot be rebound: a rebinding page is always reached by a name
    if (net.isIP(hostname) !== 0) return true;
    return exact.has(hostname) || suffixes.some((suffix) => hostname.endsWith(suffix));
  };
}

/**
 * The pages that may change data besides this server's own origin: loopback (a dev server such as
 * Vite's), this machine's name, the bound host and the allowed names. Unlike a Host header, an origin
 * that is any IP address is not trusted: a page served from an attacker's address would be one.
 */
export function allowedOriginMatcher(options: HostGuardOptions): (hostname: string | null) => boolean {
  const named = allowedHostMatcher(options);
  return (hostname) => {
    if (hostname === null) return false;
    if (net.isIP(hostname) !== 0) return isLoopback(hostname) || hostname === options.host.toLowerCase();
    return named(hostname);
  };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

/** "Example.com.:4318" → "example.com", "[::1]:4318" → "::1"; null when it is no host at all */
export function hostnameOf(header: string): string | null {
  if (!/^[\w.\-~%]+(:\d*)?$|^\[[\da-f:.]+\](:\d*)?$/i.test(header)) return null;
  try {
    const { hostname } = new URL(`http://${header}`);
    return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return null;
  }
}

function originHost(origin: string): string {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}

function refuse(reply: FastifyReply, error: AppError): FastifyReply {
  return reply.code(403).send(errorBody(error));
}

function hostNotAllowed(host: string): AppError {
  const name = hostnameOf(host) ?? host;
  return new AppError(
    'HOST_NOT_ALLOWED',
    `this server does not answer to the host name "${name}" (a web page may be trying DNS rebinding); to serve the UI and API under it, start loopline serve with --allowed-hosts ${name}`,
    { host },
  );
}

function originNotAllowed(origin: string): AppError {
  const name = hostnameOf(originHost(origin));
  return new AppError(
    'ORIGIN_NOT_ALLOWED',
    `a page from ${origin} may not change data on this server${name ? `; to allow it, start loopline serve with --allowed-hosts ${name}` : ''}`,
    { origin },
  );
}
