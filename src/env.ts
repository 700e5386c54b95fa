// Every environment variable the project reads, parsed once, with its default where it is
// declared: a bad value is a ConfigError naming the variable, not a failure deep in DuckDB or
// pino. (bin/lmi.js reads LMI_FROM_SOURCE before any of this loads; the bench and tests have
// their own.) Read lazily, so importing a module never throws.
import { z } from 'zod';
import { ConfigError } from './errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  /**
   * DuckDB's memory cap to start with, e.g. 256MB or 1GB (DuckDB spills to disk past it; a model
   * that runs out of memory raises it: Warehouse.runModel). Default 160MB: the national + state
   * refresh then peaked at 359-388 MB, against 429-455 MB with 256MB, for about 0.1 s more
   * (docs/performance.md); national-only and history runs fit in it whole.
   */
  LMI_DUCKDB_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 256MB or 1GB')
    .default('160MB'),
  /** DuckDB threads per connection. Default 1 (see Warehouse.open). */
  LMI_DUCKDB_THREADS: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a whole number of at least 1')
    .default('1')
    .transform(Number),
  /** The log level; unset: info, or debug in progress mode (which shows download progress). */
  LMI_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** Print the stack of an unexpected error. Any value but empty or 0 turns it on. */
  LMI_DEBUG: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== '' && v !== '0'),
  /** The contact e-mail sent in the User-Agent, below --contact and the config file. */
  LMI_CONTACT: z.string().optional(),
  /** The default region for S3 publishing (the AWS SDK's own variable). */
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
