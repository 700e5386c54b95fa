// Every environment variable the project reads, parsed once, with its default where it is
// declared: a bad value is a ConfigError naming the variable, not a failure deep in DuckDB or
// pino. (bin/lmi.js reads LMI_FROM_SOURCE before any of this loads; the bench and tests have
// their own.) Read lazily, so importing a module never throws.
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { DEFAULT_DUCKDB } from './load/duckdb-settings.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  /** DuckDB's memory cap, e.g. 512MB or 2GB (DuckDbSettings.memoryLimit; default and why in src/settings.ts). */
  LMI_DUCKDB_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 512MB or 2GB')
    .default(DEFAULT_DUCKDB.memoryLimit),
  /** DuckDB threads per connection (DuckDbSettings.threads; default and why in src/settings.ts). */
  LMI_DUCKDB_THREADS: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a whole number of at least 1')
    .default(String(DEFAULT_DUCKDB.threads))
    .transform(Number),
  /** The log level; unset: info, or debug in progress mode (which shows download progress). */
  LMI_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** Print the stack of an unexpected error. Any value but empty or 0 turns it on. */
  LMI_DEBUG: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== '' && v !== '0'),
  /** The contact e-mail sent in the User-Agent, below --contact and the config file (src/config.ts). */
  LMI_CONTACT: z.string().optional(),
  /** The region of the S3 client (the AWS SDK's own variable): RunOptions.s3Region. */
  AWS_REGION: z.string().optional(),
});

export type Environment = z.infer<typeof EnvSchema>;

let parsed: Environment | undefined;

/** The environment's settings (parsed on first use). */
export function environment(): Environment {
  if (parsed) return parsed;
  const result = EnvSchema.safeParse(process.env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`environment variable ${name}=${JSON.stringify(process.env[name])}: ${issue.message}`);
  }
  parsed = result.data;
  return parsed;
}
