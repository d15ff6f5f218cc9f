/** file: URIs ↔ paths. Documents with another scheme (untitled:) keep their URI as their path. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';

export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  return isAbsolute(path) ? pathToFileURL(path).href : path;
}

export function isFilePath(path: string): boolean {
  return isAbsolute(path);
}
