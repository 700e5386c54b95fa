// Where the project's own folders are, whatever the working directory, and whether this module
// runs from src/ (through tsx) or from the compiled dist/src/: the root is the nearest folder
// above that holds package.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from './errors.js';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new DefinitionError(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const crosswalksDirDefault = () => path.join(PROJECT_ROOT, 'crosswalks');
export const SQL_DIR = path.join(PROJECT_ROOT, 'sql');
