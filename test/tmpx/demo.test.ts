import { it } from 'vitest';
import { runCliWithEnv } from '../support/cli-fleet.js';
it('demo', async () => {
  for (const args of [
    ['why', '+442079460123', '--from', '+442071838750', '--demo'],
    ['why', '+2348031234567', '--from', 'MG00000000000000000000000000000002', '--demo'],
    ['why', '+2348031234567', '--from', '+14155550199', '--demo'],
    ['why', '+2348031234567', '--account', 'marketing', '--demo'],
  ]) {
    const r = await runCliWithEnv({}, process.cwd(), args);
    console.log('$ ' + args.join(' ') + ' => ' + r.code + '\n' + r.stdout + r.stderr);
  }
});
