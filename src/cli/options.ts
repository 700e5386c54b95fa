// Help texts of the options every command that reads the output folder shares.
import { DEFAULT_OUTPUT_DIR } from '../settings.js';

export const OUTPUT_HELP = `output folder (default: the config file's "output", else ${DEFAULT_OUTPUT_DIR})`;
export const CONFIG_OUTPUT_HELP = 'JSON config file, as lmi run reads it: its "output" is the folder when --output is not given';
