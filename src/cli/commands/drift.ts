import type { Command } from '../io.js';

// Placeholder until the command lands; replaced by its real implementation.
export const driftCommand: Command = async (_args, io) => {
  io.stderr.write('error: "drift" is not available in this build yet\n');
  return 1;
};
