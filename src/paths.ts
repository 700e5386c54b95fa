// Where the project's own folders are, whatever the working directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const crosswalksDirDefault = () => path.join(PROJECT_ROOT, 'crosswalks');
export const SQL_DIR = path.join(PROJECT_ROOT, 'sql');
