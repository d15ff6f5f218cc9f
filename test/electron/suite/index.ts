/** The extension host runs this (extensionTestsPath): mocha over the bundled specs. */
import Mocha from 'mocha';
import { registerTests } from './extension.spec.ts';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: true });
  // The specs are bundled with this file: define them once mocha's interface is in place.
  mocha.suite.emit('pre-require', globalThis, 'extension.spec', mocha);
  registerTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
