/**
 * A small glob matcher for recipe `inputs` (chokidar 4+ has none, and node 20's `fs.glob` is
 * experimental). Supports `*`, `?`, `[...]`, `{a,b}` within a path segment and `**` for any
 * number of folders. Matches are files and folders; results are sorted, relative to `base`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when `pattern` contains glob syntax. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** Compile one path segment (no `/`) into an anchored regular expression. */
export function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = segment.indexOf('}', i + 1);
      if (end < 0) source += '\\{';
      else {
        const options = segment
          .slice(i + 1, end)
          .split(',')
          .map(escapeRegExp);
        source += `(?:${options.join('|')})`;
        i = end;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Paths (relative to `base`, `/`-separated, sorted) matching `pattern`. Hidden files are
 * matched only by a segment that starts with `.` itself, as in a shell.
 */
export function matchGlob(base: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
  const results = new Set<string>();
  walk(base, '', segments, 0, results);
  return [...results].sort();
}

function walk(base: string, rel: string, segments: readonly string[], index: number, out: Set<string>): void {
  if (index === segments.length) {
    if (rel !== '') out.add(rel);
    return;
  }
  const segment = segments[index]!;
  const dir = rel === '' ? base : join(base, rel);
  if (segment === '**') {
    walk(base, rel, segments, index + 1, out); // zero folders
    for (const entry of listDir(dir)) {
      if (entry.name.startsWith('.') || !entry.isDir) continue;
      walk(base, join(rel, entry.name), segments, index, out);
    }
    return;
  }
  if (!isGlob(segment)) {
    const next = rel === '' ? segment : `${rel}/${segment}`;
    if (exists(join(base, next))) walk(base, next, segments, index + 1, out);
    return;
  }
  const regex = segmentRegExp(segment);
  for (const entry of listDir(dir)) {
    if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!regex.test(entry.name)) continue;
    if (index < segments.length - 1 && !entry.isDir) continue;
    walk(base, rel === '' ? entry.name : `${rel}/${entry.name}`, segments, index + 1, out);
  }
}

function listDir(dir: string): { name: string; isDir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      isDir: entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(join(dir, entry.name))),
    }));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
