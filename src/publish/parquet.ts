// The Parquet codec of a snapshot's files: a setting of its own module, so the config can name it
// without importing the publisher.
/** Parquet codecs a snapshot may be written with (the config file's parquet_compression). */
export const PARQUET_COMPRESSIONS = ['snappy', 'zstd', 'gzip', 'uncompressed'] as const;
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];
/**
 * Default snappy: the codec every Parquet reader supports (some Microsoft tooling lists only
 * none, gzip, snappy, lzo), at a few hundred KB more per large table than zstd.
 */
export const DEFAULT_PARQUET_COMPRESSION: ParquetCompression = 'snappy';
