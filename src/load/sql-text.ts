// SQL text the project writes itself: identifiers, and literals where DuckDB takes no bound value.

/**
 * SQL string literal, only where DuckDB takes no bound parameter (ATTACH's path) or where SQL
 * is generated from the project's own configuration (policy labels): values reach SQL as
 * bound parameters ($name) or variables (getvariable('name')) everywhere else.
 */
export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** SQL identifier. */
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
