// The Mocha globals @web/test-runner provides (only what the tests use; no @types/mocha).
type MochaBody = () => unknown;
interface MochaTestFn {
  (title: string, body: MochaBody): void;
  only(title: string, body: MochaBody): void;
  skip(title: string, body: MochaBody): void;
}
declare const describe: MochaTestFn;
declare const it: MochaTestFn;
declare function before(body: MochaBody): void;
declare function after(body: MochaBody): void;
declare function beforeEach(body: MochaBody): void;
declare function afterEach(body: MochaBody): void;
