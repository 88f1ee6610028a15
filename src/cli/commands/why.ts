import type { Command } from '../io.js';

// Placeholder until the command lands; replaced by its real implementation.
export const whyCommand: Command = async (_args, io) => {
  io.stderr.write('error: "why" is not available in this build yet\n');
  return 1;
};
