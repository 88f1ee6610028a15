import type { Command } from '../io.js';

// Placeholder until the command lands; replaced by its real implementation.
export const emulatorCommand: Command = async (_args, io) => {
  io.stderr.write('error: "emulator" is not available in this build yet\n');
  return 1;
};
