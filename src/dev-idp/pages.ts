/**
 * The local identity provider's pages (views/dev-idp, Eta): the sign-in page, the sign-out question,
 * the pages after sign-out and after an error. They use the app's stylesheet, served by the provider.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import { Eta } from 'eta';
import { projectRoot } from '../lib/project-root.js';
import { fieldError } from '../lib/field-error.js';

const eta = new Eta({ views: path.join(projectRoot, 'views/dev-idp'), cache: true, autoTrim: false });

export function idpPage(template: string, data: Record<string, unknown>): string {
  return eta.render(template, { fieldError, ...data });
}

let stylesheet: Promise<Buffer> | undefined;

export async function serveStylesheet(res: http.ServerResponse): Promise<void> {
  stylesheet ??= readFile(path.join(projectRoot, 'public/css/app.css'));
  res.setHeader('Content-Type', 'text/css; charset=utf-8');
  res.setHeader('Cache-Control', 'public, max-age=3600');
  res.end(await stylesheet);
}

/** A posted form (application/x-www-form-urlencoded), at most 64 kB. */
export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
